import type { Server } from 'node:http';
import type { Logger } from './logger.js';

/**
 * Connection cap and request deadline of one listening HTTP server (an
 * adapter's or the admin API's). Each listener has its own cap, so silent
 * connections piled up against one cannot starve the others of descriptors.
 */
export interface ListenerLimits {
  /** Open TCP connections at once (upgraded WebSockets and SSE streams count); more are refused. */
  maxConnections: number;
  /** Milliseconds a client has to send a whole request, headers and body; 0 turns the deadline off. */
  requestTimeout: number;
}

export interface ListenerLimitsHandle {
  /** Apply changed limits to the listening server in place (a reload): no rebind. */
  update(limits: ListenerLimits): void;
  /** Log what the current warning window counted and stop its timer. */
  dispose(): void;
}

/** At most one "connection refused" warning per listener per window; the rest are counted into it. */
export const REFUSED_WARNING_WINDOW_MS = 10_000;

/**
 * How often node sweeps for connections past their deadline. Its default
 * (30 s) on top of the 60 s header timeout is why a silent socket lived
 * ~84 s; a sweep of at most 1 s keeps the overshoot small.
 */
/** The whole request, body included, may take this many times `requestTimeout` (10 s -> 2 min). */
export const REQUEST_BODY_TIME_FACTOR = 12;
/** Longest a keep-alive connection may sit idle between requests (node's own default). */
const IDLE_KEEP_ALIVE_MS = 5000;

function checkingIntervalFor(requestTimeout: number): number {
  if (requestTimeout <= 0) return 1000;
  return Math.max(25, Math.min(1000, Math.floor(requestTimeout / 4)));
}

/**
 * Apply `limits` to `server` before it listens. The sweep interval is read by
 * node when the server starts listening; a later `update()` changes the cap
 * and the deadlines of the running server at once.
 */
export function applyListenerLimits(
  server: Server,
  limits: ListenerLimits,
  logger: Logger,
  label: string,
): ListenerLimitsHandle {
  let current = limits;
  let refusedInWindow = 0;
  let window: NodeJS.Timeout | undefined;

  function set(next: ListenerLimits): void {
    current = next;
    server.maxConnections = next.maxConnections;
    // Headers (what a silent, unauthenticated socket never sends) get requestTimeout; a body
    // gets REQUEST_BODY_TIME_FACTOR times that, so a large base64 upload on a slow link fits.
    server.requestTimeout = next.requestTimeout * REQUEST_BODY_TIME_FACTOR;
    server.headersTimeout = next.requestTimeout;
    // Idle keep-alive sockets hold a connection slot too (fastify's default is 72 s).
    server.keepAliveTimeout = Math.min(IDLE_KEEP_ALIVE_MS, next.requestTimeout);
  }

  function closeWindow(): void {
    window = undefined;
    if (refusedInWindow === 0) return;
    const refused = refusedInWindow;
    refusedInWindow = 0;
    logger.warn(
      { maxConnections: current.maxConnections, refused },
      `${label}: refused ${refused} more connection${refused === 1 ? '' : 's'} in the last ${REFUSED_WARNING_WINDOW_MS / 1000} s: ` +
        `${current.maxConnections} connections are open (maxConnections)`,
    );
    // Keep one line per window while the flood lasts.
    window = setTimeout(closeWindow, REFUSED_WARNING_WINDOW_MS);
    window.unref();
  }

  server.on('drop', (data?: { remoteAddress?: string }) => {
    if (window !== undefined) {
      refusedInWindow += 1;
      return;
    }
    logger.warn(
      { maxConnections: current.maxConnections, remote: data?.remoteAddress },
      `${label}: refused a connection: ${current.maxConnections} connections are already open ` +
        `(maxConnections); raise maxConnections or find the client holding them`,
    );
    window = setTimeout(closeWindow, REFUSED_WARNING_WINDOW_MS);
    window.unref();
  });

  set(limits);
  // A public field node reads in listen(), though @types/node only types it as a constructor option.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval =
    checkingIntervalFor(limits.requestTimeout);

  return {
    update: set,
    dispose() {
      if (window !== undefined) clearTimeout(window);
      // A last summary; closeWindow re-arms only when it logged, so clear again.
      closeWindow();
      if (window !== undefined) clearTimeout(window);
      window = undefined;
    },
  };
}
