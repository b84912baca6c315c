import type { AdapterContext, AdapterCounters, Logger } from '@onebot-gateway/core';
import {
  registerOneBotWebSocket,
  settingsFromConfig,
  type OneBotWebSocketHandle,
  type OneBotWebSocketSettings,
} from '@onebot-gateway/ws-server';
import type { HttpServerEntry } from './config.js';
import type { HttpAdapterExtension } from './http-adapter-runtime.js';

function webSocketSettings(config: HttpServerEntry): OneBotWebSocketSettings {
  // One size limit per entry: a frame may be as large as a body.
  return settingsFromConfig({ ...config, maxPayload: config.maxBodySize });
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
    peers: () => handle?.peers() ?? [],
  };
}
