/*
 * How a graceful shutdown (SIGINT/SIGTERM) spends its 5 s (issue: "graceful
 * shutdown within 5 s"). Adapters stop in parallel, each within
 * ADAPTER_STOP_LIMIT_MS; then the backend closes (the upstream relay waits at
 * most 1 s for its close handshake) and the admin API closes. The adapters'
 * own stop bounds sit inside the per-adapter limit: http-client's whole stop
 * (drain, abort, disable post) is bounded by its `stopTimeout`, 2000 ms by
 * default, so the limit never cuts off its disable post or drop count.
 */

/** The CLI exits 1 if a shutdown has not finished by then. */
export const SHUTDOWN_DEADLINE_MS = 5_000;

/** Per adapter; a slower adapter is left behind with a warning so the rest of shutdown still fits. */
export const ADAPTER_STOP_LIMIT_MS = 3_000;
