import {
  resolveAdapterConfig,
  type PartialAdapterConfig,
  type WebsocketServerConfig,
} from '@onebot-gateway/core';
import type { OneBotWebSocketSettings } from './websocket-routes.js';

/** A partial entry (NapCat strings accepted) with every default filled in. */
export function resolveWsServerConfig(
  config: PartialAdapterConfig<'websocketServers'> = {},
): WebsocketServerConfig {
  return resolveAdapterConfig('websocketServers', config);
}

/**
 * The session settings of a WebSocket listener's entry: one mapping for the
 * WebSocket server and the HTTP server's upgrade (which passes its
 * `maxBodySize` as `maxPayload`).
 */
export function settingsFromConfig(
  config: Pick<
    WebsocketServerConfig,
    | 'token'
    | 'allowedOrigins'
    | 'messagePostFormat'
    | 'reportSelfMessage'
    | 'enableForcePushEvent'
    | 'heartInterval'
    | 'maxBufferedBytes'
    | 'maxPayload'
    | 'debug'
    | 'filter'
  >,
): OneBotWebSocketSettings {
  return {
    token: config.token,
    allowedOrigins: config.allowedOrigins,
    messagePostFormat: config.messagePostFormat,
    reportSelfMessage: config.reportSelfMessage,
    enableForcePushEvent: config.enableForcePushEvent,
    heartInterval: config.heartInterval,
    maxBufferedBytes: config.maxBufferedBytes,
    maxPayload: config.maxPayload,
    debug: config.debug,
    filter: config.filter ?? null,
  };
}
