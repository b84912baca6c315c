export interface ReplayBuffer {
  /** Keep the frame of event `seq`; seqs arrive consecutively. The oldest fall out past either limit. */
  push(seq: number, frame: Buffer): void;
  /** Frames of the events after `afterSeq`, oldest first, and how many of those are no longer kept. */
  since(afterSeq: number): { frames: Buffer[]; lost: number };
  clear(): void;
  /** New limits; the newest frames that fit both are kept. `maxBytes` keeps its value when omitted. */
  resize(capacity: number, maxBytes?: number): void;
  readonly size: number;
  /** Bytes of the frames kept. */
  readonly bytes: number;
}

/**
 * A bounded queue of encoded event frames for `Last-Event-ID` replay, capped
 * by count and by bytes (oldest dropped first). The byte cap is what lets a
 * replay, written all at once, fit under the stream's unsent-bytes bound.
 * The kept frames are always the consecutive run ending at the newest seq.
 */
export function createReplayBuffer(
  initialCapacity: number,
  initialMaxBytes = Number.POSITIVE_INFINITY,
): ReplayBuffer {
  let capacity = Math.max(0, initialCapacity);
  let maxBytes = Math.max(0, initialMaxBytes);
  /** Frames from `start` on are kept; the slots before it are dropped and compacted away now and then. */
  let frames: Array<Buffer | undefined> = [];
  let start = 0;
  let bytes = 0;
  let lastSeq = 0;

  const count = () => frames.length - start;

  function dropOldest(): void {
    bytes -= frames[start]!.length;
    frames[start] = undefined;
    start += 1;
    // Compact once the dropped prefix is as long as what is kept: amortised O(1) per frame.
    if (start >= 64 && start * 2 >= frames.length) {
      frames = frames.slice(start);
      start = 0;
    }
  }

  function trim(): void {
    while (count() > 0 && (count() > capacity || bytes > maxBytes)) dropOldest();
  }

  function clear(): void {
    frames = [];
    start = 0;
    bytes = 0;
  }

  return {
    push(seq, frame) {
      lastSeq = seq;
      if (capacity === 0) return;
      if (frame.length > maxBytes) {
        // Too big to ever replay; what is older cannot be replayed either,
        // since a replay must be a gapless run up to the newest event.
        clear();
        return;
      }
      frames.push(frame);
      bytes += frame.length;
      trim();
    },
    since(afterSeq) {
      if (afterSeq >= lastSeq) return { frames: [], lost: 0 };
      const wanted = lastSeq - afterSeq;
      const kept = frames.slice(Math.max(start, frames.length - wanted)) as Buffer[];
      return { frames: kept, lost: wanted - kept.length };
    },
    clear,
    resize(nextCapacity, nextMaxBytes = maxBytes) {
      capacity = Math.max(0, nextCapacity);
      maxBytes = Math.max(0, nextMaxBytes);
      trim();
    },
    get size() {
      return count();
    },
    get bytes() {
      return bytes;
    },
  };
}
