/** One event waiting to be stored in the stream. */
export interface PendingPublish {
  subject: string;
  /** `Nats-Msg-Id`: the same on every retry, so JetStream stores the event once. */
  messageId: string;
  payload: Uint8Array;
}

export interface PublishBuffer {
  /** Queue an event; when the buffer is full the oldest ones go (and are counted). Returns how many were dropped. */
  push(entry: PendingPublish): number;
  /** The oldest entries not stored yet, at most `count`. */
  peek(count: number): PendingPublish[];
  /** These entries are stored in the stream: let them go (any order; dropped ones are ignored). */
  stored(entries: readonly PendingPublish[]): void;
  /** Entries waiting. */
  size(): number;
  /** Their payload bytes. */
  bytes(): number;
  /** Entries dropped because the buffer was full, since start. */
  dropped(): number;
}

interface Slot {
  entry: PendingPublish;
  stored: boolean;
}

/**
 * What the origin holds while NATS is unreachable or slow, bounded in bytes
 * (an event with a large image costs what it weighs, not "one"). Past the
 * limit the oldest events are dropped: the newest are the ones a bot can
 * still act on. An array with a moving head, compacted when the dead head
 * grows large; an entry stored out of order is marked and passed over.
 */
export function createPublishBuffer(maxBytes: number): PublishBuffer {
  let slots: Slot[] = [];
  const slotOf = new WeakMap<PendingPublish, Slot>();
  let head = 0;
  let waiting = 0;
  let bytes = 0;
  let dropped = 0;

  function release(slot: Slot): void {
    slot.stored = true;
    waiting -= 1;
    bytes -= slot.entry.payload.byteLength;
  }

  function advance(): void {
    while (head < slots.length && slots[head]!.stored) head += 1;
    if (head > 1024 && head * 2 > slots.length) {
      slots = slots.slice(head);
      head = 0;
    }
  }

  return {
    push(entry) {
      const slot = { entry, stored: false };
      slots.push(slot);
      slotOf.set(entry, slot);
      waiting += 1;
      bytes += entry.payload.byteLength;
      let droppedNow = 0;
      while (bytes > maxBytes && head < slots.length) {
        release(slots[head]!);
        droppedNow += 1;
        advance();
      }
      dropped += droppedNow;
      return droppedNow;
    },
    peek(count) {
      const found: PendingPublish[] = [];
      for (let index = head; index < slots.length && found.length < count; index += 1) {
        const slot = slots[index]!;
        if (!slot.stored) found.push(slot.entry);
      }
      return found;
    },
    stored(entries) {
      for (const entry of entries) {
        const slot = slotOf.get(entry);
        if (slot && !slot.stored) release(slot);
      }
      advance();
    },
    size: () => waiting,
    bytes: () => bytes,
    dropped: () => dropped,
  };
}
