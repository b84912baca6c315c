import type WebSocket from 'ws';
import type { AdapterContext, Logger } from '@onebot-gateway/core';
import {
  createOneBotSession,
  type createAdapterCounters,
  type DialledSocket,
  type OneBotSession,
  type SessionOptions,
} from '@onebot-gateway/core/internal';
import { createConfirmations, type Confirmations } from './confirmations.js';
import type { BufferedEvent } from './event-buffer.js';
import type { HeldEvents } from './held-events.js';
import { clientSessionSocket } from './session-socket.js';

/** One socket and what the adapter knows about it. */
export interface Connection {
  readonly dialled: DialledSocket<WebSocket>;
  /** Set while the session serves the socket; cleared the moment the session is disposed. */
  session: OneBotSession | undefined;
  opened: boolean;
  /** Events written to this socket that its server has not confirmed yet. */
  readonly confirmations: Confirmations;
  /** When the connection opened, ISO 8601 (status peers). */
  since: string;
}

export function newConnection(
  dialled: DialledSocket<WebSocket>,
  bufferSize: () => number,
  confirmed: (item: BufferedEvent) => void,
): Connection {
  return {
    dialled,
    session: undefined,
    opened: false,
    confirmations: createConfirmations({
      ws: dialled.socket,
      timers: dialled.timers,
      limit: bufferSize,
      confirmed,
    }),
    since: '',
  };
}

export interface SessionDeps {
  context: AdapterContext;
  options: Partial<SessionOptions>;
  logger: Logger;
  counters: ReturnType<typeof createAdapterCounters>;
  held: HeldEvents;
  /** False once the adapter replaced or closed the connection. */
  isCurrent(): boolean;
}

/**
 * Serve an open connection with core's OneBot session, as a forward
 * universal connection is served: creating it sends lifecycle `connect` and
 * subscribes it to the events. Undefined when the session was cut while
 * sending that first frame (the buffer keeps everything for the next one).
 */
export function startSession(conn: Connection, deps: SessionDeps): OneBotSession | undefined {
  const { held, counters } = deps;
  const session = createOneBotSession({
    socket: clientSessionSocket(conn.dialled.socket, conn.confirmations, (bytes) => {
      held.buffer.push(bytes);
      // The session counts the write as sent; it is not (yet).
      counters.eventsSent -= 1;
    }),
    role: 'universal',
    context: deps.context,
    options: deps.options,
    logger: deps.logger,
    counters,
    onDispose(_session, unsent) {
      // Whoever ended it (the adapter, or the session: slow consumer 1013, missed pings, failed write),
      // from this tick on events go to the buffer, the one whose own write ended it first.
      if (!deps.isCurrent()) return;
      conn.session = undefined;
      held.hold();
      if (unsent !== undefined) held.buffer.push(unsent.buffer);
    },
  });
  return session.isDisposed() ? undefined : session;
}
