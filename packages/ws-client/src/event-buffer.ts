import { Fifo } from '@onebot-gateway/core/internal';

/** One event kept while disconnected: the exact bytes to send and when it happened. */
export interface BufferedEvent {
  bytes: Buffer;
  at: number;
}

export type BufferDropReason = 'buffer_full' | 'too_old';

export interface EventBuffer {
  /** Keep an event; when full, the OLDEST event is dropped to make room (fresh events matter more to a bot). */
  push(bytes: Buffer, now?: number): void;
  /**
   * Put events that were taken out (drained, or written to a socket that died)
   * back in FRONT of the buffer, with their original time, so their age limit
   * does not restart and they stay older than everything buffered since.
   */
  requeue(items: readonly BufferedEvent[], now?: number): void;
  /** Remove and return every event still young enough, oldest first. */
  drain(now?: number): BufferedEvent[];
  /** Drop everything (stop). Returns how many events were dropped. */
  clear(): number;
  readonly size: number;
  setLimits(limits: { maxEvents: number; maxAgeMs: number }): void;
}

/**
 * The bounded buffer of a disconnected reverse WebSocket: at most `maxEvents`
 * events, none older than `maxAgeMs` when delivered. Memory is bounded by the
 * count whatever the event rate or the length of the outage. Held in core's
 * Fifo: O(1) at both ends of a long outage, and events go back in front.
 */
export function createEventBuffer(
  limits: { maxEvents: number; maxAgeMs: number },
  onDrop: (reason: BufferDropReason, count: number, dropped: readonly BufferedEvent[]) => void,
): EventBuffer {
  let maxEvents = Math.max(0, limits.maxEvents);
  let maxAgeMs = Math.max(0, limits.maxAgeMs);
  const items = new Fifo<BufferedEvent>();

  function dropOldest(count: number, reason: BufferDropReason): void {
    if (count <= 0) return;
    onDrop(reason, count, items.shiftMany(count));
  }

  function expire(now: number): void {
    let expired = 0;
    while (expired < items.size && now - (items.at(expired) as BufferedEvent).at > maxAgeMs) expired += 1;
    dropOldest(expired, 'too_old');
  }

  return {
    push(bytes, now = Date.now()) {
      expire(now);
      if (maxEvents === 0) {
        onDrop('buffer_full', 1, [{ bytes, at: now }]);
        return;
      }
      if (items.size >= maxEvents) dropOldest(items.size - maxEvents + 1, 'buffer_full');
      items.push({ bytes, at: now });
    },
    requeue(returned, now = Date.now()) {
      if (returned.length === 0) return;
      items.unshiftAll(returned);
      expire(now);
      if (items.size > maxEvents) dropOldest(items.size - maxEvents, 'buffer_full');
    },
    drain(now = Date.now()) {
      expire(now);
      return items.drain();
    },
    clear: () => items.clear(),
    get size() {
      return items.size;
    },
    setLimits(next) {
      maxEvents = Math.max(0, next.maxEvents);
      maxAgeMs = Math.max(0, next.maxAgeMs);
      if (items.size > maxEvents) dropOldest(items.size - maxEvents, 'buffer_full');
    },
  };
}
