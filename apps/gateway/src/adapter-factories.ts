import type {
  Adapter,
  AdapterContext,
  AdapterKind,
  AnyAdapterConfig,
  HttpClientConfig,
  HttpServerConfig,
  HttpSseServerConfig,
  NatsBridgeConfig,
  PluginConfig,
  WebsocketClientConfig,
  WebsocketServerConfig,
} from '@onebot-gateway/core';
export interface AdapterFactoryOptions {
  /** Folder of the config file: plugin modules and `tls` files are resolved relative to it. */
  baseDir: string;
}

export type AdapterFactory = (
  config: AnyAdapterConfig,
  context: AdapterContext,
  options: AdapterFactoryOptions,
) => Adapter;

/** Loads a kind's package on first use, so a gateway only pays (in startup time and memory) for the kinds it runs. */
export type AdapterFactoryLoader = () => Promise<AdapterFactory>;

/**
 * One line per adapter kind: the config array it reads and the factory that
 * builds it. The config has been validated by core; the casts only narrow the
 * union to the entry type of that array.
 */
export const adapterFactories: Record<AdapterKind, AdapterFactoryLoader> = {
  httpServers: () =>
    import('@onebot-gateway/http-server').then(
      (m) =>
        (config, context, { baseDir }) =>
          m.createHttpServerAdapter(config as HttpServerConfig, context, { baseDir }),
    ),
  httpSseServers: () =>
    import('@onebot-gateway/sse-server').then(
      (m) =>
        (config, context, { baseDir }) =>
          m.createSseServerAdapter(config as HttpSseServerConfig, context, { baseDir }),
    ),
  websocketServers: () =>
    import('@onebot-gateway/ws-server').then(
      (m) =>
        (config, context, { baseDir }) =>
          m.createWsServerAdapter(config as WebsocketServerConfig, context, { baseDir }),
    ),
  httpClients: () =>
    import('@onebot-gateway/http-client').then(
      (m) => (config, context) => m.createHttpClientAdapter(config as HttpClientConfig, context),
    ),
  websocketClients: () =>
    import('@onebot-gateway/ws-client').then(
      (m) =>
        (config, context, { baseDir }) =>
          m.createWsClientAdapter(config as WebsocketClientConfig, context, { baseDir }),
    ),
  plugins: () =>
    import('@onebot-gateway/plugin').then(
      (m) =>
        (config, context, { baseDir }) =>
          m.createPluginAdapter(config as PluginConfig, context, { baseDir }),
    ),
  natsBridges: () =>
    import('@onebot-gateway/nats').then(
      (m) => (config, context) => m.createNatsBridgeAdapter(config as NatsBridgeConfig, context),
    ),
};
