export { createHttpServerAdapter, type HttpServerAdapterOptions } from './http-server-adapter.js';
export {
  DEFAULT_MAX_BUFFERED_BYTES,
  httpServerDefaults,
  resolveHttpServerConfig,
  type HttpServerEntry,
} from './config.js';
export { createHttpApp, type HttpAppOptions } from './http-app.js';
export {
  createHttpAdapterRuntime,
  type HttpAdapterExtension,
  type HttpAdapterRuntime,
  type HttpAdapterRuntimeOptions,
} from './http-adapter-runtime.js';
export { refusalForAuth } from './request-guards.js';
export { HttpRefusal, isHttpRefusal, sendOneBotResponse, sendRefusal } from './onebot-reply.js';
export { parseFormFields, type ParsedBody } from './body-parsers.js';
