export {
  createWsClientAdapter,
  reconnectDelay,
  WS_CLIENT_USER_AGENT,
  CLOSE_TIMEOUT_MS,
  type WsClientAdapterOptions,
  type WsClientDropReason,
} from './ws-client-adapter.js';
export { DEFAULT_HANDSHAKE_TIMEOUT_MS, resolveWsClientConfig, type WsClientOptions } from './config.js';
