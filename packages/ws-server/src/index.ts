export { createWsServerAdapter, type WsServerAdapter } from './adapter.js';
export { resolveWsServerConfig, settingsFromConfig } from './config.js';
export { roleForPath } from './roles.js';
export {
  registerOneBotWebSocket,
  type OneBotWebSocketHandle,
  type OneBotWebSocketOptions,
  type OneBotWebSocketSettings,
} from './websocket-routes.js';
