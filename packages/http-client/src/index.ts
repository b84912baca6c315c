export { createHttpClientAdapter, HTTP_CLIENT_USER_AGENT, type DropReason } from './http-client-adapter.js';
export { DEFAULT_STOP_TIMEOUT_MS, resolveHttpClientConfig, type HttpClientOptions } from './config.js';
export { MAX_REPLY_BYTES } from './event-poster.js';
