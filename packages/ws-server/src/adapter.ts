import {
  OneBotError,
  applyListenerLimits,
  createAdapterCounters,
  type Adapter,
  type AdapterContext,
  type AdapterState,
  type AdapterStatus,
  type ListenerLimitsHandle,
  type PartialAdapterConfig,
  type WebsocketServerConfig,
} from '@onebot-gateway/core';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { resolveWsServerConfig, settingsFromConfig } from './config.js';
import { registerOneBotWebSocket, type OneBotWebSocketHandle } from './websocket-routes.js';

export interface WsServerAdapter extends Adapter<WebsocketServerConfig> {
  readonly config: WebsocketServerConfig;
}

function isAddressInUse(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'EADDRINUSE';
}

/** The forward WebSocket server adapter: `/api`, `/event` and universal paths on one port. */
export function createWsServerAdapter(
  partialConfig: PartialAdapterConfig<'websocketServers'>,
  context: AdapterContext,
): WsServerAdapter {
  let config = resolveWsServerConfig(partialConfig);
  const name = config.name;
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
    const server = Fastify({ logger: false, forceCloseConnections: true });
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
      const reason = isAddressInUse(error)
        ? `port ${config.port} on ${config.host} is already in use; stop the other process or change "port"`
        : `could not listen on ${config.host}:${config.port}: ${(error as Error).message}`;
      throw new OneBotError('ADAPTER_START_FAILED', `websocket server "${name}": ${reason}`, {
        cause: error,
        details: { adapter: name, port: config.port },
      });
    }
    const bound = server.server.address() as AddressInfo;
    address = `${bound.address.includes(':') ? `[${bound.address}]` : bound.address}:${bound.port}`;
    app = server;
    handle = attached;
    limits = serverLimits;
    logger.info({ address }, `websocket server "${name}" listening on ws://${address}`);
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
        if (previous.host !== config.host || previous.port !== config.port) {
          logger.info(
            { from: `${previous.host}:${previous.port}`, to: `${config.host}:${config.port}` },
            'address changed: rebinding',
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
      }),
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
