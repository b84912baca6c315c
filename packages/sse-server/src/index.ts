export { createSseServerAdapter, type SseServerAdapter } from './sse-server-adapter.js';
export { resolveSseServerConfig, sseServerDefaults, type SseServerConfig } from './config.js';
export { encodeEventFrame, parseLastEventId, PING_FRAME } from './sse-frames.js';
