/**
 * Largest WebSocket header a client frame can have (2 + 8 length + 4 mask
 * bytes): the unsent-byte count includes headers, what we queue is counted
 * as payload plus this, so a frame is never under-counted.
 */
const FRAME_OVERHEAD_BYTES = 14;

/**
 * The bytes queued for the upstream and not sent yet, watched the way core
 * sessions watch slow consumers, so an upstream that stops reading cannot
 * make the relay's memory grow without bound.
 */
export interface UpstreamBacklog {
  /**
   * May a frame of `bytes` be queued when `unsent` bytes already wait? An
   * empty backlog always takes one frame, however big, so a single large
   * call is never refused for size alone; otherwise the total must stay
   * within the bound.
   */
  admits(unsent: number, bytes: number): boolean;
  /** Note a frame (or a ping, `bytes` 0) handed to the socket. */
  queued(bytes: number): void;
  /**
   * Called once per ping interval with the bytes unsent now: true when bytes
   * that were unsent at the previous call are still unsent. Frames leave in
   * order, so once those have gone at most what was queued since can remain;
   * anything more means the upstream read nothing for a whole interval.
   */
  stalledSinceLastTick(unsent: number): boolean;
}

export function createUpstreamBacklog(maxBufferedBytes: number): UpstreamBacklog {
  let unsentAtLastTick = 0;
  let queuedSinceLastTick = 0;
  return {
    admits: (unsent, bytes) => unsent === 0 || unsent + bytes <= maxBufferedBytes,
    queued(bytes) {
      queuedSinceLastTick += bytes + FRAME_OVERHEAD_BYTES;
    },
    stalledSinceLastTick(unsent) {
      const stalled = unsentAtLastTick > 0 && unsent > queuedSinceLastTick;
      unsentAtLastTick = unsent;
      queuedSinceLastTick = 0;
      return stalled;
    },
  };
}
