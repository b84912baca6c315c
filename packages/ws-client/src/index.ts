export {
  createWsClientAdapter,
  WS_CLIENT_USER_AGENT,
  CLOSE_TIMEOUT_MS,
  type WsClientAdapterOptions,
  type WsClientDropReason,
} from './ws-client-adapter.js';
/** The wait before a reconnection attempt: reconnectInterval plus up to 10 % (at most 1 s) of jitter. */
export { reconnectDelay } from '@onebot-gateway/core/internal';
export { DEFAULT_HANDSHAKE_TIMEOUT_MS, resolveWsClientConfig, type WsClientOptions } from './config.js';
