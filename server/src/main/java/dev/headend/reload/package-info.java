/**
 * Configuration reload while the server runs: {@link dev.headend.reload.ConfigReloader} re-reads
 * the file and applies the channel changes (hot swap of running pipelines), triggered by
 * {@code POST /api/config/reload} or by SIGHUP ({@link dev.headend.reload.HangupSignal}).
 */
package dev.headend.reload;
