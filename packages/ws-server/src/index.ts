export { createWsServerAdapter, type WsServerAdapter, type WsServerAdapterOptions } from './adapter.js';
export { resolveWsServerConfig, settingsFromConfig } from './config.js';
export { roleForPath } from './roles.js';
export {
  registerOneBotWebSocket,
  type OneBotWebSocketHandle,
  type OneBotWebSocketOptions,
  type OneBotWebSocketSettings,
} from './websocket-routes.js';
