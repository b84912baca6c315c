import {
  type Adapter,
  type AdapterContext,
  type AdapterStatus,
  type PartialAdapterConfig,
  type WebsocketServerConfig,
} from '@onebot-gateway/core';
import {
  createAdapterCounters,
  createAdapterLifecycle,
  openServerListener,
  schemaCompilersOnDemand,
  type ListenerHttpsOptions,
  type ServerListener,
} from '@onebot-gateway/core/internal';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { resolveWsServerConfig, settingsFromConfig } from './config.js';
import { registerOneBotWebSocket, type OneBotWebSocketHandle } from './websocket-routes.js';

export interface WsServerAdapter extends Adapter<WebsocketServerConfig> {
  readonly config: WebsocketServerConfig;
  reloadTls(): Promise<void>;
}

export interface WsServerAdapterOptions {
  /** Folder that relative `tls` file paths start from: the config file's. Default: the working directory. */
  baseDir?: string;
}

/** The forward WebSocket server adapter: `/api`, `/event` and universal paths on one port. */
export function createWsServerAdapter(
  partialConfig: PartialAdapterConfig<'websocketServers'>,
  context: AdapterContext,
  options: WsServerAdapterOptions = {},
): WsServerAdapter {
  let config = resolveWsServerConfig(partialConfig);
  const name = config.name;
  const baseDir = options.baseDir ?? process.cwd();
  const label = `websocket server "${name}"`;
  const logger = context.logger;
  const counters = createAdapterCounters();
  let listener: ServerListener<FastifyInstance> | undefined;
  let handle: OneBotWebSocketHandle | undefined;

  async function createApp(https: ListenerHttpsOptions | undefined): Promise<FastifyInstance> {
    // With `https` fastify makes an https.Server: upgrades arrive the same way, and setSecureContext() rotates.
    // (A variable, not a literal: the http typing of the app then holds for both servers.)
    const serverOptions = {
      logger: false,
      forceCloseConnections: true,
      schemaController: schemaCompilersOnDemand<FastifyServerOptions['schemaController']>(import.meta.url),
      ...(https === undefined ? {} : { https }),
    };
    const app = Fastify(serverOptions);
    app.setNotFoundHandler((_request, reply) => {
      void reply.code(426).header('upgrade', 'websocket').send({
        status: 'failed',
        retcode: 1400,
        data: null,
        message: 'this is a OneBot WebSocket server: connect with a WebSocket client',
        wording: '',
      });
    });
    handle = await registerOneBotWebSocket(app, {
      context,
      logger,
      counters,
      settings: settingsFromConfig(config),
    });
    return app;
  }

  async function listen(): Promise<void> {
    // Connections are counted as sessions: no per-socket bookkeeping besides theirs.
    const open = { label, adapter: name, config, baseDir, logger, createApp, trackConnections: false };
    // No "listening on" line of its own: the gateway logs one per adapter, with its name, kind and address.
    listener = await openServerListener(open);
  }

  async function close(): Promise<void> {
    const open = listener;
    const attached = handle;
    listener = undefined;
    handle = undefined;
    if (attached) {
      // Refuse upgrades first: one accepted while the open sockets close would start a session after closeAll.
      attached.stopAccepting();
      await attached.closeAll(1001, 'server shutting down');
    }
    await open?.close();
  }

  const lifecycle = createAdapterLifecycle({
    open: listen,
    close,
    onError: (error) => counters.recordError(error),
    stopped: () => logger.info(`websocket server "${name}" stopped`),
  });

  /** New connections get the re-read files, open ones keep theirs; a bad file keeps the running certificate. */
  async function reloadTls(): Promise<void> {
    if (lifecycle.state !== 'running' || listener === undefined || config.tls === undefined) return;
    await listener.reloadTls(config.tls).catch((error: unknown) => {
      counters.recordError(error);
      throw error;
    });
  }

  const adapter: WsServerAdapter = {
    name,
    kind: 'websocketServers',
    get config() {
      return config;
    },
    start: () => lifecycle.start(),
    stop: () => lifecycle.stop(),
    reload: (next) =>
      lifecycle.serially(async () => {
        const previous = config;
        config = resolveWsServerConfig({ ...next, name });
        if (lifecycle.state !== 'running') return;
        const tlsSwitched = (previous.tls === undefined) !== (config.tls === undefined);
        if (previous.host !== config.host || previous.port !== config.port || tlsSwitched) {
          logger.info(
            { from: `${previous.host}:${previous.port}`, to: `${config.host}:${config.port}` },
            tlsSwitched ? `TLS turned ${config.tls ? 'on' : 'off'}: rebinding` : 'address changed: rebinding',
          );
          await lifecycle.reopen();
          return;
        }
        listener?.updateLimits(config);
        handle?.update(settingsFromConfig(config));
        // A reload re-reads the files whatever changed; a bad one is logged, the server keeps serving.
        await reloadTls().catch((error: unknown) =>
          logger.error({}, `${(error as Error).message}; the running certificate stays`),
        );
      }),
    reloadTls: () => lifecycle.serially(reloadTls),
    status(): AdapterStatus {
      return {
        state: lifecycle.state,
        address: listener?.address,
        connections: handle?.connections() ?? 0,
        eventsSent: counters.eventsSent,
        actionsHandled: counters.actionsHandled,
        errors: counters.errors,
        lastError: counters.lastError,
        peers: handle?.peers() ?? [],
      };
    },
  };
  return adapter;
}
