import type { AdapterContext, AdapterCounters, Logger } from '@onebot-gateway/core';
import {
  registerOneBotWebSocket,
  type OneBotWebSocketHandle,
  type OneBotWebSocketSettings,
} from '@onebot-gateway/ws-server';
import type { HttpServerEntry } from './config.js';
import type { HttpAdapterExtension } from './http-adapter-runtime.js';

function webSocketSettings(config: HttpServerEntry): OneBotWebSocketSettings {
  return {
    token: config.token,
    allowedOrigins: config.allowedOrigins,
    messagePostFormat: config.messagePostFormat,
    reportSelfMessage: config.reportSelfMessage,
    enableForcePushEvent: config.enableForcePushEvent,
    heartInterval: config.heartInterval,
    maxBufferedBytes: config.maxBufferedBytes,
    // One size limit per entry: a frame may be as large as a body.
    maxPayload: config.maxBodySize,
    debug: config.debug,
    filter: config.filter ?? null,
  };
}

/**
 * `enableWebsocket: true`: the ws-server's paths, roles, handshake auth and
 * sessions on this adapter's port, by ws-server's own `registerOneBotWebSocket`.
 * Settings change in place on reload; switching the flag rebinds.
 */
export function createWebSocketUpgrade<C extends HttpServerEntry>(
  context: AdapterContext,
  logger: Logger,
  counters: AdapterCounters,
): HttpAdapterExtension<C> {
  let handle: OneBotWebSocketHandle | undefined;
  return {
    rebindKeys: ['enableWebsocket'],
    async setup(app, config) {
      handle = undefined;
      if (!config.enableWebsocket) return;
      handle = await registerOneBotWebSocket(app, {
        context,
        logger,
        counters,
        settings: webSocketSettings(config),
      });
    },
    reloaded(config) {
      handle?.update(webSocketSettings(config));
    },
    status() {
      return handle ? { websocketConnections: handle.connections() } : {};
    },
  };
}
