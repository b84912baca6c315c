import {
  type Adapter,
  type AdapterContext,
  type AdapterState,
  type AdapterStatus,
  type PartialAdapterConfig,
  type WebsocketServerConfig,
} from '@onebot-gateway/core';
import {
  applyListenerLimits,
  createAdapterCounters,
  httpsServerOptions,
  loadServerTlsFiles,
  reloadServerTlsFiles,
  type ListenerLimitsHandle,
  type SecureContextHolder,
  listenFailure,
} from '@onebot-gateway/core/internal';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
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
  let state: AdapterState = 'idle';
  let app: FastifyInstance | undefined;
  let handle: OneBotWebSocketHandle | undefined;
  let address: string | undefined;
  let limits: ListenerLimitsHandle | undefined;
  let transition: Promise<void> = Promise.resolve();

  /** start/stop/reload run one at a time, so a reload racing a stop never leaves a server behind. */
  function serialised(step: () => Promise<void>): Promise<void> {
    const next = transition.then(step, step);
    transition = next.catch(() => undefined);
    return next;
  }

  async function listen(): Promise<void> {
    // Read before anything opens: a bad file fails the start with a reason naming it.
    const tls = config.tls === undefined ? undefined : await loadServerTlsFiles(config.tls, baseDir, label);
    // With `https` fastify makes an https.Server: upgrades arrive the same way, and setSecureContext() rotates.
    // (A variable, not a literal: the http typing of the app then holds for both servers.)
    const serverOptions = {
      logger: false,
      forceCloseConnections: true,
      ...(tls === undefined ? {} : { https: httpsServerOptions(tls, config.requestTimeout) }),
    };
    const server = Fastify(serverOptions);
    server.setNotFoundHandler((_request, reply) => {
      void reply.code(426).header('upgrade', 'websocket').send({
        status: 'failed',
        retcode: 1400,
        data: null,
        message: 'this is a OneBot WebSocket server: connect with a WebSocket client',
        wording: '',
      });
    });
    const attached = await registerOneBotWebSocket(server, {
      context,
      logger,
      counters,
      settings: settingsFromConfig(config),
    });
    const serverLimits = applyListenerLimits(server.server, config, logger, `websocket server "${name}"`);
    try {
      await server.listen({ host: config.host, port: config.port });
    } catch (error) {
      serverLimits.dispose();
      await server.close().catch(() => undefined);
      throw listenFailure(label, { host: config.host, port: config.port, adapter: name }, error);
    }
    const bound = server.server.address() as AddressInfo;
    address = `${bound.address.includes(':') ? `[${bound.address}]` : bound.address}:${bound.port}`;
    app = server;
    handle = attached;
    limits = serverLimits;
    logger.info(
      { address },
      `websocket server "${name}" listening on ${config.tls ? 'wss' : 'ws'}://${address}`,
    );
  }

  /** New connections get the re-read files, open ones keep theirs; a bad file keeps the running certificate. */
  async function reloadTls(): Promise<void> {
    if (state !== 'running' || app === undefined || config.tls === undefined) return;
    try {
      await reloadServerTlsFiles(app.server as unknown as SecureContextHolder, config.tls, baseDir, label);
    } catch (error) {
      counters.recordError(error);
      throw error;
    }
    logger.info({}, `${label}: TLS files re-read; new connections use them`);
  }

  async function close(): Promise<void> {
    const server = app;
    const attached = handle;
    app = undefined;
    handle = undefined;
    address = undefined;
    limits?.dispose();
    limits = undefined;
    if (attached) {
      // Refuse upgrades first: one accepted while the open sockets close would start a session after closeAll.
      attached.stopAccepting();
      await attached.closeAll(1001, 'server shutting down');
    }
    if (server) await server.close();
  }

  const adapter: WsServerAdapter = {
    name,
    kind: 'websocketServers',
    get config() {
      return config;
    },
    start: () =>
      serialised(async () => {
        if (state === 'running') return;
        state = 'starting';
        try {
          await listen();
          state = 'running';
        } catch (error) {
          state = 'failed';
          counters.recordError(error);
          throw error;
        }
      }),
    stop: () =>
      serialised(async () => {
        if (state !== 'running' && state !== 'failed') return;
        state = 'stopping';
        await close();
        state = 'stopped';
        logger.info(`websocket server "${name}" stopped`);
      }),
    reload: (next) =>
      serialised(async () => {
        const previous = config;
        config = resolveWsServerConfig({ ...next, name });
        if (state !== 'running') return;
        const tlsSwitched = (previous.tls === undefined) !== (config.tls === undefined);
        if (previous.host !== config.host || previous.port !== config.port || tlsSwitched) {
          logger.info(
            { from: `${previous.host}:${previous.port}`, to: `${config.host}:${config.port}` },
            tlsSwitched ? `TLS turned ${config.tls ? 'on' : 'off'}: rebinding` : 'address changed: rebinding',
          );
          state = 'stopping';
          await close();
          state = 'starting';
          try {
            await listen();
            state = 'running';
          } catch (error) {
            state = 'failed';
            counters.recordError(error);
            throw error;
          }
          return;
        }
        limits?.update(config);
        handle?.update(settingsFromConfig(config));
        // A reload re-reads the files whatever changed; a bad one is logged, the server keeps serving.
        await reloadTls().catch((error: unknown) =>
          logger.error({}, `${(error as Error).message}; the running certificate stays`),
        );
      }),
    reloadTls: () => serialised(reloadTls),
    status(): AdapterStatus {
      return {
        state,
        address,
        connections: handle?.connections() ?? 0,
        eventsSent: counters.eventsSent,
        actionsHandled: counters.actionsHandled,
        errors: counters.errors,
        lastError: counters.lastError,
      };
    },
  };
  return adapter;
}
