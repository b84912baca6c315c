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
   * were waiting at the previous call and the upstream has read none of them
   * since (what left the queue is at most the frame-header slack of the
   * frames queued meanwhile). A slow upstream that drains at all is kept.
   */
  stalledSinceLastTick(unsent: number): boolean;
}

export function createUpstreamBacklog(maxBufferedBytes: number): UpstreamBacklog {
  let unsentAtLastTick = 0;
  let queuedSinceLastTick = 0;
  let framesSinceLastTick = 0;
  return {
    admits: (unsent, bytes) => unsent === 0 || unsent + bytes <= maxBufferedBytes,
    queued(bytes) {
      queuedSinceLastTick += bytes + FRAME_OVERHEAD_BYTES;
      framesSinceLastTick += 1;
    },
    stalledSinceLastTick(unsent) {
      // Queued sizes count the largest frame header, so "sent" is over-estimated by at most this.
      const sent = unsentAtLastTick + queuedSinceLastTick - unsent;
      const stalled = unsentAtLastTick > 0 && sent <= framesSinceLastTick * FRAME_OVERHEAD_BYTES;
      unsentAtLastTick = unsent;
      queuedSinceLastTick = 0;
      framesSinceLastTick = 0;
      return stalled;
    },
  };
}
