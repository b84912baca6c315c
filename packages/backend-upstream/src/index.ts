export {
  createUpstreamBackend,
  UPSTREAM_BUSY_RETCODE,
  UPSTREAM_CLOSE_HANDSHAKE_MS,
  UPSTREAM_FAILURE_RETCODE,
} from './upstream-backend.js';
export type { UpstreamBackend, UpstreamBackendOptions, UpstreamState } from './upstream-backend.js';
export { resolveUpstreamOptions, upstreamDefaults, validateUpstreamConfig } from './upstream-config.js';
export type { UpstreamOptions } from './upstream-config.js';
export { normaliseUpstreamEvent } from './upstream-events.js';
