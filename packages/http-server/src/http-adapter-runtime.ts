import type { Socket } from 'node:net';
import {
  type OneBotError,
  type Adapter,
  type AdapterContext,
  type AdapterKind,
  type AdapterState,
  type AdapterStatus,
  type HttpServerConfig,
  type Logger,
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
import type { FastifyInstance } from 'fastify';
import type { HttpServerEntry } from './config.js';
import { createHttpApp } from './http-app.js';
import { createWebSocketUpgrade } from './websocket-upgrade.js';

/**
 * What a package built on the HTTP server adds (sse-server's event stream,
 * the WebSocket upgrade). Every hook is optional.
 */
export interface HttpAdapterExtension<C extends HttpServerConfig = HttpServerEntry> {
  /** Add routes and hooks to a fresh app, before it listens. */
  setup?(app: FastifyInstance, config: C): void | Promise<void>;
  /** The app listens (first start or after a rebind). */
  started?(config: C): void;
  /** The app is about to close: end long-lived responses so the close can finish. */
  stopping?(): void | Promise<void>;
  /** A reload changed the entry without needing a new socket. */
  reloaded?(config: C, previous: C): void;
  /** Keys whose change needs a new app and socket, besides host, port, enableCors and maxBodySize. */
  rebindKeys?: readonly string[];
  /** Extra fields for `status()`; `connections` here replaces the socket count. */
  status?(): Partial<AdapterStatus>;
}

export interface HttpAdapterRuntimeOptions<C extends HttpServerEntry> {
  kind: AdapterKind;
  /** A human word for error messages: "http-server", "sse-server". */
  label: string;
  config: C;
  /** Fill defaults of an entry handed to reload() (the gateway passes core-resolved entries without extra keys). */
  resolveConfig: (entry: C) => C;
  context: AdapterContext;
  extensions?: ReadonlyArray<HttpAdapterExtension<C>>;
  /** Folder that relative `tls` file paths start from (the config file's). Default: the working directory. */
  baseDir?: string;
}

export interface HttpAdapterRuntime<C extends HttpServerEntry> extends Adapter<C> {
  reloadTls(): Promise<void>;
  /** The entry in force (after reloads). */
  currentConfig(): C;
  /** Counters shared with extensions so `status()` adds up everything. */
  readonly counters: ReturnType<typeof createAdapterCounters>;
  readonly logger: Logger;
}

/** How long stop() lets open requests finish before destroying their sockets. */
const STOP_GRACE_MS = 2000;

const baseRebindKeys = ['host', 'port', 'enableCors', 'maxBodySize'] as const;

function describeListenError(label: string, config: HttpServerConfig, error: unknown): OneBotError {
  return listenFailure(`${label} "${config.name}"`, { ...config, adapter: config.name }, error);
}

/**
 * The start/stop/reload/status life of a fastify-based server adapter.
 * Operations run one at a time, in call order, so a reload during a start
 * or a double stop never races.
 */
export function createHttpAdapterRuntime<C extends HttpServerEntry>(
  options: HttpAdapterRuntimeOptions<C>,
): HttpAdapterRuntime<C> {
  const { kind, label, context } = options;
  const logger = context.logger;
  const counters = createAdapterCounters();
  // The WebSocket routes go first so an extension can see their constraint strategy.
  const extensions = [createWebSocketUpgrade<C>(context, logger, counters), ...(options.extensions ?? [])];
  const rebindKeys = [...baseRebindKeys, ...extensions.flatMap((extension) => extension.rebindKeys ?? [])];

  let config = options.config;
  const baseDir = options.baseDir ?? process.cwd();
  const describe = (): string => `${label} "${config.name}"`;
  let state: AdapterState = 'idle';
  let app: FastifyInstance | undefined;
  let address: string | undefined;
  let limits: ListenerLimitsHandle | undefined;
  const sockets = new Set<Socket>();
  let queue: Promise<unknown> = Promise.resolve();

  function serially<T>(operation: () => Promise<T>): Promise<T> {
    const result = queue.then(operation);
    queue = result.catch(() => undefined);
    return result;
  }

  async function openApp(): Promise<void> {
    // Read before anything opens: a bad file fails the start with a reason naming it.
    const tls =
      config.tls === undefined ? undefined : await loadServerTlsFiles(config.tls, baseDir, describe());
    const next = await createHttpApp({
      config,
      currentConfig: () => config,
      context,
      logger,
      counters,
      ...(tls === undefined ? {} : { https: httpsServerOptions(tls, config.requestTimeout) }),
    });
    for (const extension of extensions) await extension.setup?.(next, config);
    next.server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    const nextLimits = applyListenerLimits(next.server, config, logger, `${label} "${config.name}"`);
    try {
      await next.listen({ host: config.host, port: config.port });
    } catch (error) {
      nextLimits.dispose();
      await next.close().catch(() => undefined);
      throw describeListenError(label, config, error);
    }
    limits = nextLimits;
    const bound = next.server.address();
    address = typeof bound === 'object' && bound !== null ? `${config.host}:${bound.port}` : String(bound);
    app = next;
    for (const extension of extensions) extension.started?.(config);
    logger.info({ address }, `${label} listening on ${config.tls ? 'https' : 'http'}://${address}`);
  }

  async function closeApp(): Promise<void> {
    const closing = app;
    if (!closing) return;
    for (const extension of extensions) await extension.stopping?.();
    // close() waits for every connection; a peer that never lets go (a
    // half-open socket, a request that never completes) must not make stop()
    // hang, so whatever is left after a grace period is destroyed.
    const straggling = setTimeout(() => {
      for (const socket of sockets) socket.destroy();
    }, STOP_GRACE_MS);
    try {
      await closing.close();
    } finally {
      clearTimeout(straggling);
    }
    limits?.dispose();
    limits = undefined;
    app = undefined;
    address = undefined;
  }

  async function startNow(): Promise<void> {
    if (state === 'running') return;
    state = 'starting';
    try {
      await openApp();
      state = 'running';
    } catch (error) {
      state = 'failed';
      counters.recordError(error);
      throw error;
    }
  }

  /** New connections get the re-read files, open ones keep theirs; a bad file keeps the running certificate. */
  async function reloadTlsNow(): Promise<void> {
    if (state !== 'running' || app === undefined || config.tls === undefined) return;
    try {
      await reloadServerTlsFiles(
        app.server as unknown as SecureContextHolder,
        config.tls,
        baseDir,
        describe(),
      );
    } catch (error) {
      counters.recordError(error);
      throw error;
    }
    logger.info({}, `${describe()}: TLS files re-read; new connections use them`);
  }

  async function stopNow(): Promise<void> {
    if (app === undefined) {
      if (state !== 'idle') state = 'stopped';
      return;
    }
    state = 'stopping';
    await closeApp();
    state = 'stopped';
  }

  return {
    get name() {
      return config.name;
    },
    kind,
    logger,
    counters,
    currentConfig: () => config,
    start: () => serially(startNow),
    stop: () => serially(stopNow),
    reload: (next) =>
      serially(async () => {
        const previous = config;
        config = options.resolveConfig(next);
        // Switching TLS on or off needs another kind of server; new files for the same server do not.
        const needsRebind =
          (previous.tls === undefined) !== (config.tls === undefined) ||
          rebindKeys.some((key) => previous[key] !== config[key]);
        if (state !== 'running') return;
        if (needsRebind) {
          logger.info({}, `${label} "${next.name}" rebinds to apply the new entry`);
          await stopNow();
          await startNow();
          return;
        }
        limits?.update(config);
        for (const extension of extensions) extension.reloaded?.(config, previous);
        // A reload re-reads the files whatever changed; a bad one is logged, the adapter keeps serving.
        await reloadTlsNow().catch((error: unknown) =>
          logger.error({}, `${(error as Error).message}; the running certificate stays`),
        );
      }),
    reloadTls: () => serially(reloadTlsNow),
    status() {
      const extra = Object.assign(
        {},
        ...extensions.map((extension) => extension.status?.() ?? {}),
      ) as Partial<AdapterStatus>;
      return {
        state,
        ...(address === undefined ? {} : { address }),
        connections: sockets.size,
        eventsSent: counters.eventsSent,
        actionsHandled: counters.actionsHandled,
        errors: counters.errors,
        ...(counters.lastError === undefined ? {} : { lastError: counters.lastError }),
        ...extra,
      };
    },
  };
}
