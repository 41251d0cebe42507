package dev.headend.pipeline;

import java.time.Instant;

/**
 * What one {@link ProcessPool#audit()} did.
 *
 * @param orphansKilled live processes carrying this server's marker that the pool did not track,
 *     killed by the audit
 * @param vanishedRemoved tracked pipelines whose process was gone without its exit being
 *     reported, dropped from tracking (their slots freed)
 * @param at when the audit finished, by the pool's clock
 */
public record AuditResult(int orphansKilled, int vanishedRemoved, Instant at) {}
