export {
  createWsClientAdapter,
  reconnectDelay,
  WS_CLIENT_USER_AGENT,
  CLOSE_TIMEOUT_MS,
  type WsClientDropReason,
} from './ws-client-adapter.js';
export { wsClientDefaults, resolveWsClientConfig, type WsClientOptions } from './config.js';
