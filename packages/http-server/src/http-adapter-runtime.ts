import {
  type Adapter,
  type AdapterContext,
  type AdapterKind,
  type AdapterPeer,
  type AdapterStatus,
  type HttpServerConfig,
  type Logger,
} from '@onebot-gateway/core';
import {
  createAdapterCounters,
  createAdapterLifecycle,
  listPeers,
  openServerListener,
  type ServerListener,
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
  /** The extension's open connections (WebSockets, event streams), oldest first; status() merges them. */
  peers?(): AdapterPeer[];
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

const baseRebindKeys = ['host', 'port', 'enableCors', 'maxBodySize'] as const;

/**
 * The start/stop/reload/status life of a fastify-based server adapter.
 * Operations run one at a time, in call order (core's adapter lifecycle),
 * so a reload during a start or a double stop never races.
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
  let listener: ServerListener<FastifyInstance> | undefined;

  async function openApp(): Promise<void> {
    listener = await openServerListener({
      label: describe(),
      adapter: config.name,
      config,
      baseDir,
      logger,
      createApp: async (https) => {
        const app = await createHttpApp({
          config,
          currentConfig: () => config,
          context,
          logger,
          counters,
          ...(https === undefined ? {} : { https }),
        });
        for (const extension of extensions) await extension.setup?.(app, config);
        return app;
      },
    });
    // No "listening on" line of its own: the gateway logs one per adapter, with its name, kind and address.
    for (const extension of extensions) extension.started?.(config);
  }

  async function closeApp(): Promise<void> {
    const closing = listener;
    if (!closing) return;
    for (const extension of extensions) await extension.stopping?.();
    await closing.close();
    listener = undefined;
  }

  const lifecycle = createAdapterLifecycle({
    open: openApp,
    close: closeApp,
    onError: (error) => counters.recordError(error),
  });

  /** New connections get the re-read files, open ones keep theirs; a bad file keeps the running certificate. */
  async function reloadTlsNow(): Promise<void> {
    if (lifecycle.state !== 'running' || listener === undefined || config.tls === undefined) return;
    await listener.reloadTls(config.tls).catch((error: unknown) => {
      counters.recordError(error);
      throw error;
    });
  }

  return {
    get name() {
      return config.name;
    },
    kind,
    logger,
    counters,
    currentConfig: () => config,
    start: () => lifecycle.start(),
    stop: () => lifecycle.stop(),
    reload: (next) =>
      lifecycle.serially(async () => {
        const previous = config;
        config = options.resolveConfig(next);
        // Switching TLS on or off needs another kind of server; new files for the same server do not.
        const needsRebind =
          (previous.tls === undefined) !== (config.tls === undefined) ||
          rebindKeys.some((key) => previous[key] !== config[key]);
        if (lifecycle.state !== 'running') return;
        if (needsRebind) {
          logger.info({}, `${label} "${next.name}" rebinds to apply the new entry`);
          await lifecycle.reopen();
          return;
        }
        listener?.updateLimits(config);
        for (const extension of extensions) extension.reloaded?.(config, previous);
        // A reload re-reads the files whatever changed; a bad one is logged, the adapter keeps serving.
        await reloadTlsNow().catch((error: unknown) =>
          logger.error({}, `${(error as Error).message}; the running certificate stays`),
        );
      }),
    reloadTls: () => lifecycle.serially(reloadTlsNow),
    status() {
      const extra = Object.assign(
        {},
        ...extensions.map((extension) => extension.status?.() ?? {}),
      ) as Partial<AdapterStatus>;
      return {
        state: lifecycle.state,
        ...(listener === undefined ? {} : { address: listener.address }),
        connections: listener?.openConnections() ?? 0,
        eventsSent: counters.eventsSent,
        actionsHandled: counters.actionsHandled,
        errors: counters.errors,
        ...(counters.lastError === undefined ? {} : { lastError: counters.lastError }),
        peers: listPeers(...extensions.map((extension) => extension.peers?.() ?? [])),
        ...extra,
      };
    },
  };
}
