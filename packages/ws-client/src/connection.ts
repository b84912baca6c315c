import type WebSocket from 'ws';
import type { DialledSocket, OneBotSession } from '@onebot-gateway/core/internal';
import { createConfirmations, type Confirmations } from './confirmations.js';
import type { BufferedEvent } from './event-buffer.js';

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
