package dev.headend.pipeline;

import java.util.Map;
import java.util.Optional;

/**
 * A snapshot of a {@link ProcessPool}.
 *
 * @param running pipeline processes running or being spawned
 * @param toolsRunning tool runs (slate encodes, probes) in progress; they count against the cap too
 * @param effectiveCap how many processes the pool allows right now (see {@link ProcessPool#effectiveCap()})
 * @param spawned pipeline processes started since the pool was created
 * @param toolRuns tool runs (slate encodes, probes) started since the pool was created
 * @param refused refusals since the pool was created, by code; every code of
 *     {@link SpawnRefusedException#CODES} is present
 * @param lastAudit the most recent audit, empty before the first
 */
public record PoolStats(int running, int toolsRunning, int effectiveCap, long spawned, long toolRuns, Map<String, Long> refused,
        Optional<AuditResult> lastAudit) {}
