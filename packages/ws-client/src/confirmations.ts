import WebSocket from 'ws';
import type { TimerScope } from '@onebot-gateway/core/internal';
import type { BufferedEvent } from './event-buffer.js';

/**
 * How soon after a write a ping asks the server to confirm it. Only events
 * written within this window (plus a round trip) can arrive twice when a
 * connection dies without a closing handshake; without the early ping the
 * window would be a whole heartInterval.
 */
export const CONFIRM_AFTER_MS = 250;

/**
 * Events written to one socket that its server has not yet confirmed,
 * oldest first (at most bufferSize). A ping carries the number of events
 * written so far and its pong confirms every one of them; a close frame from
 * the server confirms everything (RFC 6455 section 5.5.1).
 */
export interface Confirmations {
  /** Remember an event just written; a ping asks for its confirmation soon. */
  track(item: BufferedEvent): void;
  /** A pong's payload: the server read every event up to this count. */
  confirm(upTo: number): void;
  /** Ping now, carrying the count written so far. */
  ping(): void;
  /** The socket died without a closing handshake: what was never confirmed, oldest first. */
  takeUnconfirmed(): BufferedEvent[];
}

export interface ConfirmationsContext {
  ws: WebSocket;
  /** The connection's timers: cleared when its socket closes. */
  timers: TimerScope;
  /** At most this many are kept: only the newest bufferSize could go back to the buffer anyway. */
  limit(): number;
  /** Told of every confirmed event (a durable consumer acknowledges it). */
  confirmed?(item: BufferedEvent): void;
}

export function createConfirmations({ ws, timers, limit, confirmed }: ConfirmationsContext): Confirmations {
  let unconfirmed: BufferedEvent[] = [];
  /** Events written so far; sent as the ping payload, so its pong says how many it confirms. */
  let written = 0;
  /** The `written` count of unconfirmed[0]. */
  let firstUnconfirmed = 0;
  let pingPending = false;

  function ping(): void {
    if (ws.readyState === WebSocket.OPEN) ws.ping(String(written));
  }

  return {
    track(item) {
      written += 1;
      unconfirmed.push(item);
      if (unconfirmed.length > limit()) {
        unconfirmed.shift();
        firstUnconfirmed += 1;
      }
      if (pingPending) return;
      pingPending = true;
      timers.timeout(() => {
        pingPending = false;
        ping();
      }, CONFIRM_AFTER_MS);
    },
    confirm(upTo) {
      const count = Math.min(upTo - firstUnconfirmed, unconfirmed.length);
      if (count <= 0) return;
      const done = unconfirmed.splice(0, count);
      if (confirmed) for (const item of done) confirmed(item);
      firstUnconfirmed += count;
    },
    ping,
    takeUnconfirmed() {
      const lost = unconfirmed;
      unconfirmed = [];
      return lost;
    },
  };
}
