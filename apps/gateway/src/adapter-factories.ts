import type {
  Adapter,
  AdapterContext,
  AdapterKind,
  AnyAdapterConfig,
  HttpClientConfig,
  HttpServerConfig,
  HttpSseServerConfig,
  PluginConfig,
  WebsocketClientConfig,
  WebsocketServerConfig,
} from '@onebot-gateway/core';
import { createHttpClientAdapter } from '@onebot-gateway/http-client';
import { createHttpServerAdapter } from '@onebot-gateway/http-server';
import { createPluginAdapter } from '@onebot-gateway/plugin';
import { createSseServerAdapter } from '@onebot-gateway/sse-server';
import { createWsClientAdapter } from '@onebot-gateway/ws-client';
import { createWsServerAdapter } from '@onebot-gateway/ws-server';

export interface AdapterFactoryOptions {
  /** Folder of the config file: plugin modules are resolved relative to it. */
  baseDir: string;
}

export type AdapterFactory = (config: AnyAdapterConfig, context: AdapterContext, options: AdapterFactoryOptions) => Adapter;

/**
 * One line per adapter kind: the config array it reads and the factory that
 * builds it. The config has been validated by core; the casts only narrow the
 * union to the entry type of that array.
 */
export const adapterFactories: Record<AdapterKind, AdapterFactory> = {
  httpServers: (config, context) => createHttpServerAdapter(config as HttpServerConfig, context),
  httpSseServers: (config, context) => createSseServerAdapter(config as HttpSseServerConfig, context),
  websocketServers: (config, context) => createWsServerAdapter(config as WebsocketServerConfig, context),
  httpClients: (config, context) => createHttpClientAdapter(config as HttpClientConfig, context),
  websocketClients: (config, context) => createWsClientAdapter(config as WebsocketClientConfig, context),
  plugins: (config, context, { baseDir }) => createPluginAdapter(config as PluginConfig, context, { baseDir }),
};
