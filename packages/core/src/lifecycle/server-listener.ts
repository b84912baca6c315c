import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ServerTlsFiles } from '../config/types.js';
import { listenFailure } from '../listen-failure.js';
import { applyListenerLimits, type ListenerLimits } from '../listener-limits.js';
import type { Logger } from '../logger.js';
import {
  httpsServerOptions,
  loadServerTlsFiles,
  reloadServerTlsFiles,
  type SecureContextHolder,
  type ServerTlsMaterial,
} from '../tls-files.js';

/**
 * What the listener needs of a web framework's app: fastify's instance has
 * this shape, so core stays free of fastify (architecture.md "Packaging").
 */
export interface ListeningApp {
  readonly server: Server;
  listen(options: { host: string; port: number }): Promise<unknown>;
  close(): Promise<unknown>;
}

/** What fastify's `https` option takes: the files, and the request deadline as the handshake deadline. */
export type ListenerHttpsOptions = ServerTlsMaterial & { handshakeTimeout: number };

/** The keys of an adapter entry that say where and how it listens. */
export interface ServerListenerConfig extends ListenerLimits {
  host: string;
  port: number;
  tls?: ServerTlsFiles | undefined;
}

export interface ServerListenerOptions<A extends ListeningApp> {
  /** `websocket server "ws"`: names the listener in errors and logs. */
  label: string;
  /** The adapter's name, for the error's details; absent for a listener that is no adapter (the admin API). */
  adapter?: string;
  config: ServerListenerConfig;
  /** Folder that relative `tls` paths start from (the config file's). */
  baseDir: string;
  logger: Logger;
  /** Build the app with its routes for these https options (undefined: plain HTTP); it must not listen yet. */
  createApp(https: ListenerHttpsOptions | undefined): Promise<A>;
  /** How long close() lets open connections finish before destroying them. Default 2000 ms. */
  closeGraceMs?: number;
  /**
   * Keep a set of the open sockets, for `openConnections()` and the close
   * grace (default true). A host that counts its connections itself (ws-server
   * counts sessions) turns it off and saves the bookkeeping per idle socket;
   * its stragglers are ended with node's `closeAllConnections()`.
   */
  trackConnections?: boolean;
}

/** One bound socket of an adapter, from `listen` to `close`. */
export interface ServerListener<A extends ListeningApp> {
  readonly app: A;
  /** `127.0.0.1:8080`, `[::1]:8080`: where the socket is bound (port 0 resolved). */
  readonly address: string;
  /** Open TCP connections (upgraded WebSockets and streams included); 0 without `trackConnections`. */
  openConnections(): number;
  /** Changed `maxConnections` / `requestTimeout`, applied in place. */
  updateLimits(limits: ListenerLimits): void;
  /**
   * Re-read the `tls` files and use them for new connections (open ones
   * keep theirs). Rejects, keeping the running certificate, on a bad file.
   */
  reloadTls(tls: ServerTlsFiles): Promise<void>;
  /** Close the app; connections still open after the grace period are destroyed. */
  close(): Promise<void>;
}

const DEFAULT_CLOSE_GRACE_MS = 2000;

/** `address:port`, IPv6 in brackets, as a URL would write it. */
export function formatSocketAddress(address: string, port: number | undefined): string {
  const host = address.includes(':') ? `[${address}]` : address;
  return port === undefined ? host : `${host}:${port}`;
}

/**
 * Bind one server adapter's socket: read the TLS files first (a bad file
 * fails the start naming it), build the app, apply the connection cap and
 * deadlines, listen, and turn a bind failure into core's one "could not
 * listen" error naming adapter, host and port. Every server adapter
 * (ws-server, http-server, sse-server) and the gateway's admin API open
 * their port through here.
 */
export async function openServerListener<A extends ListeningApp>(
  options: ServerListenerOptions<A>,
): Promise<ServerListener<A>> {
  const { label, config, baseDir, logger } = options;
  const tls = config.tls === undefined ? undefined : await loadServerTlsFiles(config.tls, baseDir, label);
  const app = await options.createApp(
    tls === undefined ? undefined : httpsServerOptions(tls, config.requestTimeout),
  );
  const sockets = new Set<Socket>();
  if (options.trackConnections ?? true) {
    app.server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
  }
  const limits = applyListenerLimits(app.server, config, logger, label);
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    limits.dispose();
    await app.close().catch(() => undefined);
    throw listenFailure(label, { host: config.host, port: config.port, adapter: options.adapter }, error);
  }
  const bound = app.server.address() as AddressInfo;
  const closeGraceMs = options.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS;

  return {
    app,
    address: formatSocketAddress(bound.address, bound.port),
    openConnections: () => sockets.size,
    updateLimits: (next) => limits.update(next),
    async reloadTls(files) {
      await reloadServerTlsFiles(app.server as unknown as SecureContextHolder, files, baseDir, label);
      logger.info({}, `${label}: TLS files re-read; new connections use them`);
    },
    async close() {
      // close() waits for every connection; a peer that never lets go (a
      // half-open socket, a request that never completes) must not make a
      // stop hang, so whatever is left after the grace period is destroyed.
      const straggling = setTimeout(() => {
        app.server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      }, closeGraceMs);
      try {
        await app.close();
      } finally {
        clearTimeout(straggling);
        limits.dispose();
      }
    },
  };
}
