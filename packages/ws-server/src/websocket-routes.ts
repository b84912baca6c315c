import {
  noopLogger,
  redactUrl,
  type AdapterContext,
  type AdapterCounters,
  type AdapterPeer,
  type Logger,
} from '@onebot-gateway/core';
import {
  createAdapterCounters,
  attachSessionToWebSocket,
  listPeers,
  peersOf,
  type PeerRecord,
  type OneBotSession,
  type SessionOptions,
  releaseUpgradeResponse,
  upgradeConstraint,
  upgradeConstraintName,
} from '@onebot-gateway/core/internal';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { createHandshakeAuth } from './handshake-auth.js';
import { roleForPath } from './roles.js';

/** Everything about the WebSocket side that can change while connections stay open. */
export interface OneBotWebSocketSettings {
  token: string;
  /**
   * Browser origins allowed to open a socket when no token is set (`*` = any);
   * the listener's own host always is. Read per handshake. Default [].
   */
  allowedOrigins?: readonly string[];
  messagePostFormat: SessionOptions['messagePostFormat'];
  reportSelfMessage: boolean;
  enableForcePushEvent: boolean;
  heartInterval: number;
  maxBufferedBytes: number;
  /** Largest accepted frame; applies to connections opened after a change. */
  maxPayload: number;
  debug: boolean;
  /** The entry's `filter` (null or absent: every event); applies to open connections on update. */
  filter?: SessionOptions['filter'];
}

export interface OneBotWebSocketOptions {
  context: AdapterContext;
  settings: OneBotWebSocketSettings;
  /** Shared with the host adapter's status(); created when omitted. */
  counters?: AdapterCounters;
  /** Defaults to `context.logger`. */
  logger?: Logger;
}

export interface OneBotWebSocketHandle {
  /** Apply changed settings to new handshakes and to every open connection, without dropping any. */
  update(settings: Partial<OneBotWebSocketSettings>): void;
  settings(): Readonly<OneBotWebSocketSettings>;
  /** Open WebSocket connections. */
  connections(): number;
  /** Those connections for status(): remote `address:port`, role, since; oldest first, at most 100. */
  peers(): AdapterPeer[];
  counters: AdapterCounters;
  /** Close every connection (default 1001) and resolve once each is gone; stragglers are terminated after `graceMs`. */
  closeAll(code?: number, reason?: string, graceMs?: number): Promise<void>;
  /**
   * Refuse every later upgrade (503, no socket kept): the first step of a
   * shutdown, so nothing can open a session after closeAll took its list.
   * Final: the host is closing. `app.close()` does it too (preClose).
   */
  stopAccepting(): void;
}

/** How long a socket the server closed may take to finish the closing handshake before it is terminated. */
const CLOSE_GRACE_MS = 10_000;

/**
 * Every path shape a host might route, so that an upgrade never lands on a
 * host route: static role paths, one and two segments with or without a
 * trailing slash, and a catch-all.
 */
const routePaths = ['/', '/api', '/api/', '/event', '/event/', '/:segment', '/:segment/', '/*'];

/**
 * After the upgrade, nothing of the HTTP request is needed, but the net
 * socket still points at its ServerResponse and @fastify/websocket's error
 * listener closes over request and reply: several KB per idle connection.
 * Drop both references (the session installs its own error listener).
 */
function releaseUpgradeRequest(ws: WebSocket): void {
  ws.removeAllListeners('error');
  releaseUpgradeResponse(ws);
}

/**
 * Attach OneBot forward-WebSocket behaviour (paths and roles, handshake
 * auth, sessions) to a fastify instance. Call before `listen()`. Registers
 * @fastify/websocket with maxPayload and permessage-deflate off; the
 * instance must not have registered it already.
 */
export async function registerOneBotWebSocket(
  app: FastifyInstance,
  options: OneBotWebSocketOptions,
): Promise<OneBotWebSocketHandle> {
  const { context } = options;
  const logger = options.logger ?? context.logger ?? noopLogger;
  const counters = options.counters ?? createAdapterCounters();
  let settings: OneBotWebSocketSettings = { ...options.settings };
  const sessions = new Map<WebSocket, OneBotSession>();
  /** The connections of `sessions`, in the order they opened, for status(). */
  const peers = new Map<WebSocket, PeerRecord>();
  /** Every socket not closed yet, including ones whose session already ended (cut, closing). */
  const openSockets = new Set<WebSocket>();
  let accepting = true;

  const sessionOptions = (): Partial<SessionOptions> => ({
    token: settings.token,
    messagePostFormat: settings.messagePostFormat,
    reportSelfMessage: settings.reportSelfMessage,
    enableForcePushEvent: settings.enableForcePushEvent,
    heartInterval: settings.heartInterval,
    maxBufferedBytes: settings.maxBufferedBytes,
    debug: settings.debug,
    filter: settings.filter ?? null,
  });

  // Loaded on first use: keeps importing this package cheap for hosts that never enable WebSocket.
  const { default: websocket } = await import('@fastify/websocket');
  await app.register(websocket, {
    options: { maxPayload: settings.maxPayload, perMessageDeflate: false, clientTracking: false },
    // ws already closes with the right code (1007 bad UTF-8, 1009 too big) before emitting the error.
    errorHandler: (error: Error) => {
      logger.debug({ err: error }, `WebSocket protocol error: ${error.message}`);
    },
    // Replaces the default, which closes with 1005 instead of 1001; like the
    // default, new upgrades are refused before the open sockets are closed.
    preClose: (done: () => void) => {
      stopAccepting();
      void closeAll().then(() => done());
    },
  });
  app.addConstraintStrategy(upgradeConstraint);

  const authenticate = createHandshakeAuth({ logger, settings: () => settings, accepting: () => accepting });

  function onConnection(ws: WebSocket, request: FastifyRequest): void {
    const role = roleForPath(request.url);
    const remote = request.ip;
    const peer: PeerRecord = { socket: request.socket, role, openedAt: Date.now() };
    releaseUpgradeRequest(ws);
    openSockets.add(ws);
    let closeGrace: NodeJS.Timeout | undefined;
    ws.on('close', (code) => {
      openSockets.delete(ws);
      if (closeGrace) clearTimeout(closeGrace);
      logger.info({ role, remote, code }, `WebSocket client disconnected (${code})`);
    });
    const session = attachSessionToWebSocket(ws, {
      role,
      context,
      logger,
      counters,
      options: sessionOptions(),
      onDispose: () => {
        sessions.delete(ws);
        peers.delete(ws);
        // The session closed the socket (slow consumer, shutdown): a peer that never answers the
        // close frame would hold the socket and its unsent data for ws's 30 s; cut that short.
        if (ws.readyState !== ws.CLOSED) {
          closeGrace = setTimeout(() => ws.terminate(), CLOSE_GRACE_MS);
          closeGrace.unref();
        }
      },
    });
    if (session.isDisposed()) return;
    sessions.set(ws, session);
    peers.set(ws, peer);
    logger.info(
      { role, remote, path: redactUrl(request.url, settings.token) },
      `WebSocket client connected (${role})`,
    );
  }

  for (const url of routePaths) {
    app.route({
      method: 'GET',
      url,
      constraints: { [upgradeConstraintName]: 'upgrade' },
      onRequest: authenticate,
      websocket: true,
      handler: onConnection as never,
    });
  }

  function stopAccepting(): void {
    if (!accepting) return;
    accepting = false;
    // Also refuses (503) an upgrade already past the hook above: ws aborts any
    // handshake its server completes after close(). Open sockets stay open.
    app.websocketServer.close();
  }

  function closeAll(code = 1001, reason = 'server shutting down', graceMs = 1000): Promise<void> {
    const closing = [...openSockets].map(
      (ws) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === ws.CLOSED) {
            resolve();
            return;
          }
          const timer = setTimeout(() => ws.terminate(), graceMs);
          ws.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
          // Sockets whose session already ended are closing; they only get the grace period.
          sessions.get(ws)?.close(code, reason);
        }),
    );
    return Promise.all(closing).then(() => undefined);
  }

  return {
    update(changes) {
      settings = { ...settings, ...changes };
      if (changes.maxPayload !== undefined) {
        (app.websocketServer.options as { maxPayload: number }).maxPayload = settings.maxPayload;
      }
      const next = sessionOptions();
      for (const session of sessions.values()) session.update(next);
    },
    settings: () => settings,
    connections: () => sessions.size,
    peers: () => listPeers(peersOf(peers.values())),
    counters,
    closeAll,
    stopAccepting,
  };
}
