import {
  OneBotError,
  type Adapter,
  type AdapterContext,
  type AdapterKind,
  type AnyAdapterConfig,
  type HttpClientConfig,
  type HttpServerConfig,
  type PluginConfig,
  type WebsocketServerConfig,
} from '@onebot-gateway/core';
import { createHttpClientAdapter } from '@onebot-gateway/http-client';
import { createHttpServerAdapter } from '@onebot-gateway/http-server';
import { createPluginAdapter } from '@onebot-gateway/plugin';
import { createWsServerAdapter } from '@onebot-gateway/ws-server';

export interface AdapterFactoryOptions {
  /** Folder of the config file: plugin modules are resolved relative to it. */
  baseDir: string;
}

export type AdapterFactory = (config: AnyAdapterConfig, context: AdapterContext, options: AdapterFactoryOptions) => Adapter;

/** Stands in for an adapter kind whose package is not wired yet: it fails clearly at start. */
function unavailable(kind: AdapterKind): AdapterFactory {
  return (config) => {
    let failed = false;
    return {
      name: config.name,
      kind,
      async start() {
        failed = true;
        throw new OneBotError('ADAPTER_START_FAILED', `adapter "${config.name}": the ${kind} adapter is not available in this build`);
      },
      async stop() {},
      async reload() {},
      status: () => ({ state: failed ? 'failed' : 'idle', connections: 0, eventsSent: 0, actionsHandled: 0, errors: 0 }),
    };
  };
}

/** One line per adapter kind: the config array name and the factory that builds it. */
export const adapterFactories: Record<AdapterKind, AdapterFactory> = {
  httpServers: (config, context) => createHttpServerAdapter(config as HttpServerConfig, context),
  httpSseServers: unavailable('httpSseServers'),
  websocketServers: (config, context) => createWsServerAdapter(config as WebsocketServerConfig, context),
  httpClients: (config, context) => createHttpClientAdapter(config as HttpClientConfig, context),
  websocketClients: unavailable('websocketClients'),
  plugins: (config, context, { baseDir }) => createPluginAdapter(config as PluginConfig, context, { baseDir }),
};
