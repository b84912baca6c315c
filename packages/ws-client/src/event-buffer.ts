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
 * count whatever the event rate or the length of the outage.
 */
export function createEventBuffer(
  limits: { maxEvents: number; maxAgeMs: number },
  onDrop: (reason: BufferDropReason, count: number, dropped: readonly BufferedEvent[]) => void,
): EventBuffer {
  let maxEvents = Math.max(0, limits.maxEvents);
  let maxAgeMs = Math.max(0, limits.maxAgeMs);
  let items: BufferedEvent[] = [];
  let head = 0;

  const size = (): number => items.length - head;

  function compact(): void {
    if (head === items.length) {
      items = [];
      head = 0;
    } else if (head >= 1024 && head * 2 >= items.length) {
      items = items.slice(head);
      head = 0;
    }
  }

  function dropOldest(count: number, reason: BufferDropReason): void {
    if (count <= 0) return;
    const dropped = items.slice(head, head + count);
    for (let i = 0; i < count; i += 1) items[head + i] = undefined as unknown as BufferedEvent;
    head += count;
    compact();
    onDrop(reason, count, dropped);
  }

  function expire(now: number): void {
    let expired = 0;
    while (head + expired < items.length && now - (items[head + expired] as BufferedEvent).at > maxAgeMs)
      expired += 1;
    dropOldest(expired, 'too_old');
  }

  return {
    push(bytes, now = Date.now()) {
      expire(now);
      if (maxEvents === 0) {
        onDrop('buffer_full', 1, [{ bytes, at: now }]);
        return;
      }
      if (size() >= maxEvents) dropOldest(size() - maxEvents + 1, 'buffer_full');
      items.push({ bytes, at: now });
    },
    requeue(returned, now = Date.now()) {
      if (returned.length === 0) return;
      items = [...returned, ...items.slice(head)];
      head = 0;
      expire(now);
      if (size() > maxEvents) dropOldest(size() - maxEvents, 'buffer_full');
    },
    drain(now = Date.now()) {
      expire(now);
      const out = items.slice(head);
      items = [];
      head = 0;
      return out;
    },
    clear() {
      const count = size();
      items = [];
      head = 0;
      return count;
    },
    get size() {
      return size();
    },
    setLimits(next) {
      maxEvents = Math.max(0, next.maxEvents);
      maxAgeMs = Math.max(0, next.maxAgeMs);
      if (size() > maxEvents) dropOldest(size() - maxEvents, 'buffer_full');
    },
  };
}
