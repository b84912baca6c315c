export * from './types/index.js';
export * from './errors.js';
export * from './logger.js';
export * from './adapter.js';
export * from './backend.js';
export * from './context.js';
export * from './durable.js';
export * from './auth.js';
export * from './config/index.js';
export * from './bus/index.js';
export * from './filter/index.js';
export * from './router/index.js';
export * from './message/index.js';
export * from './session/index.js';
export * from './drop-log.js';
export * from './origin-policy.js';
export { applyListenerLimits, REFUSED_WARNING_WINDOW_MS } from './listener-limits.js';
export type { ListenerLimits, ListenerLimitsHandle } from './listener-limits.js';
export {
  httpsServerOptions,
  loadClientTlsFiles,
  loadServerTlsFiles,
  reloadServerTlsFiles,
  type SecureContextHolder,
  type ServerTlsMaterial,
} from './tls-files.js';
