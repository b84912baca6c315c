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

export function settingsFromConfig(config: WebsocketServerConfig): OneBotWebSocketSettings {
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
