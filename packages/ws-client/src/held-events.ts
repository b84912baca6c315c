import WebSocket from 'ws';
import type { EventListener, EventSubscription, OneBotEvent } from '@onebot-gateway/core';
import { createDropLog, type DropLog } from '@onebot-gateway/core/internal';
import type { Logger } from '@onebot-gateway/core';
import type { WsClientOptions } from './config.js';
import {
  createEventBuffer,
  type BufferDropReason,
  type BufferedEvent,
  type EventBuffer,
} from './event-buffer.js';

export type WsClientDropReason = BufferDropReason | 'stopped';

/** The event behind buffered bytes, for a drop log line only (parsed lazily: see createDropLog). */
export function parseEvent(bytes: Buffer): OneBotEvent | undefined {
  try {
    return JSON.parse(bytes.toString('utf8')) as OneBotEvent;
  } catch {
    return undefined;
  }
}

/**
 * The disconnect buffer and the subscription that fills it. While no session
 * serves a connection, events are held here (bounded by bufferSize and
 * bufferMaxAge, every drop logged and counted); the moment a session takes
 * over, the subscription ends in the same tick, so no event is in both or
 * in neither.
 */
export interface HeldEvents {
  readonly buffer: EventBuffer;
  readonly drops: DropLog<WsClientDropReason>;
  /** Hold every event published from now on (no-op while holding). */
  hold(): void;
  /** Stop holding: a session receives the events now. */
  release(): void;
  /** Subscribe again with the current format settings, if holding (a reload changed them). */
  resubscribe(): void;
  /** The adapter stops: every held event counts as dropped. */
  dropAll(): void;
  /**
   * Events written to a socket that died unconfirmed: back to the front of
   * the buffer, or counted as dropped when the adapter is stopping.
   */
  takeBack(lost: readonly BufferedEvent[], stopping: boolean): void;
  /**
   * A session just took over: write every held event to `ws` in order (each
   * one `written`), keeping the rest if the socket starts closing. Returns
   * how many were written.
   */
  flushTo(ws: WebSocket, written: (item: BufferedEvent) => void): number;
}

export interface HeldEventsContext {
  logger: Logger;
  config(): WsClientOptions;
  subscribe(subscription: EventSubscription, listener: EventListener): () => void;
}

export function createHeldEvents({ logger, config, subscribe }: HeldEventsContext): HeldEvents {
  const drops = createDropLog<WsClientDropReason>(logger);
  const initial = config();
  const buffer = createEventBuffer(
    { maxEvents: initial.bufferSize, maxAgeMs: initial.bufferMaxAge },
    (reason, _count, dropped) => {
      const { bufferSize, bufferMaxAge } = config();
      for (const item of dropped) {
        drops.record(
          reason,
          reason === 'too_old'
            ? `held longer than bufferMaxAge (${bufferMaxAge} ms) while disconnected`
            : bufferSize === 0
              ? 'no disconnect buffer is configured (bufferSize 0): the event was dropped while disconnected'
              : `the disconnect buffer is full (bufferSize ${bufferSize}); the oldest event made room`,
          () => parseEvent(item.bytes),
        );
      }
    },
  );
  let unsubscribe: (() => void) | undefined;

  function hold(): void {
    if (unsubscribe !== undefined) return;
    unsubscribe = subscribe(
      {
        format: config().messagePostFormat,
        reportSelfMessage: config().reportSelfMessage,
        filter: () => config().filter,
      },
      (delivered) => buffer.push(delivered.buffer),
    );
  }

  function release(): void {
    unsubscribe?.();
    unsubscribe = undefined;
  }

  return {
    buffer,
    drops,
    hold,
    release,
    resubscribe() {
      if (unsubscribe === undefined) return;
      release();
      hold();
    },
    dropAll() {
      const left = buffer.clear();
      for (let i = 0; i < left; i += 1)
        drops.record('stopped', 'the adapter stopped while the event waited for a connection', undefined);
      drops.flush();
    },
    takeBack(lost, stopping) {
      if (lost.length === 0) return;
      if (stopping) {
        // Nothing will send these again, so they count as dropped.
        for (const item of lost) {
          drops.record('stopped', 'the adapter stopped before the server confirmed the event', () =>
            parseEvent(item.bytes),
          );
        }
        drops.flush();
        return;
      }
      buffer.requeue(lost);
      logger.info(
        { events: lost.length },
        `${lost.length} events written just before the connection was lost were not confirmed by the server; they will be sent again`,
      );
    },
    flushTo(ws, written) {
      const kept: BufferedEvent[] = [];
      let delivered = 0;
      for (const item of buffer.drain()) {
        // The socket may be closing already: keep the rest for the next connection.
        if (ws.readyState === WebSocket.OPEN) {
          ws.send(item.bytes, { binary: false });
          written(item);
          delivered += 1;
        } else kept.push(item);
      }
      // With their original time: their age limit keeps running.
      buffer.requeue(kept);
      return delivered;
    },
  };
}
