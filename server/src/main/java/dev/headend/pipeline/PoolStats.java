package dev.headend.pipeline;

import java.util.Map;
import java.util.Optional;

/**
 * A snapshot of a {@link ProcessPool}.
 *
 * @param running slots in use: live pipelines plus spawns in progress
 * @param effectiveCap how many processes the pool allows right now (see {@link ProcessPool#effectiveCap()})
 * @param spawned processes started since the pool was created
 * @param refused refusals since the pool was created, by code; every code of
 *     {@link SpawnRefusedException#CODES} is present
 * @param lastAudit the most recent audit, empty before the first
 */
public record PoolStats(int running, int effectiveCap, long spawned, Map<String, Long> refused,
        Optional<AuditResult> lastAudit) {}
