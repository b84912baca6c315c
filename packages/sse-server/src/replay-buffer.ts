export interface ReplayBuffer {
  /** Keep the frame of event `seq`; seqs arrive consecutively. The oldest falls out at capacity. */
  push(seq: number, frame: Buffer): void;
  /** Frames of the events after `afterSeq`, oldest first, and how many of those are no longer kept. */
  since(afterSeq: number): { frames: Buffer[]; lost: number };
  clear(): void;
  resize(capacity: number): void;
  readonly size: number;
}

/** A bounded ring of encoded event frames for `Last-Event-ID` replay. */
export function createReplayBuffer(initialCapacity: number): ReplayBuffer {
  let capacity = Math.max(0, initialCapacity);
  let frames: Buffer[] = [];
  let head = 0;
  let firstSeq = 0;
  let lastSeq = 0;

  function ordered(): Buffer[] {
    return frames.length < capacity ? frames : [...frames.slice(head), ...frames.slice(0, head)];
  }

  return {
    push(seq, frame) {
      lastSeq = seq;
      if (capacity === 0) return;
      if (frames.length < capacity) {
        if (frames.length === 0) firstSeq = seq;
        frames.push(frame);
        return;
      }
      frames[head] = frame;
      head = (head + 1) % capacity;
      firstSeq += 1;
    },
    since(afterSeq) {
      if (afterSeq >= lastSeq) return { frames: [], lost: 0 };
      const wanted = lastSeq - afterSeq;
      if (frames.length === 0) return { frames: [], lost: wanted };
      const skip = Math.max(0, afterSeq + 1 - firstSeq);
      const kept = ordered().slice(skip);
      return { frames: kept, lost: wanted - kept.length };
    },
    clear() {
      frames = [];
      head = 0;
    },
    resize(next) {
      if (Math.max(0, next) === capacity) return;
      const kept = ordered();
      capacity = Math.max(0, next);
      frames = capacity === 0 ? [] : kept.slice(-capacity);
      head = 0;
      if (frames.length > 0) firstSeq = lastSeq - frames.length + 1;
    },
    get size() {
      return frames.length;
    },
  };
}
