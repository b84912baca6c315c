import type { DeliveredEvent } from '../bus/event-bus.js';
import { sharedTextFrame } from './frame.js';
import type { SessionSocket } from './socket.js';

/** Writes a session's text frames, batched per tick, and notices a peer that stopped reading. */
export interface SessionWriter {
  /** Write one frame; false when it was not written (`slow` or `failed` was called). */
  write(data: string | DeliveredEvent): boolean;
}

export interface WriterHooks {
  socket: SessionSocket;
  maxBufferedBytes(): number;
  /** Unsent bytes from earlier ticks plus this frame would pass maxBufferedBytes: the peer is too slow. */
  slow(backlog: number): void;
  /** The socket threw on write. */
  failed(error: unknown): void;
}

function frameSize(text: string): number {
  // String length is a lower bound of its UTF-8 size: cheap and good enough for a limit.
  return text.length;
}

/**
 * A string (answers, meta events) or an event. An event goes out as the
 * frame shared by every connection when the socket takes pre-framed bytes,
 * so its payload Buffer is never made for it.
 */
export function createSessionWriter({ socket, maxBufferedBytes, slow, failed }: WriterHooks): SessionWriter {
  let corked = false;
  /**
   * Unsent bytes left over from earlier ticks, read once when a burst starts:
   * while corked nothing leaves, so it cannot change until the uncork.
   */
  let backlogAtCork = 0;

  function uncork(): void {
    corked = false;
    socket.uncork?.();
  }

  return {
    write(data) {
      // Only data left over from earlier ticks counts: the current burst is still corked
      // on purpose (and its event buffers are shared with every other connection).
      if (!corked && socket.cork) {
        backlogAtCork = socket.bufferedAmount;
        corked = true;
        socket.cork();
        process.nextTick(uncork);
      }
      const backlog = corked ? backlogAtCork : socket.bufferedAmount;
      // An empty backlog always takes one frame, so a single big answer never counts as slowness.
      if (
        backlog > 0 &&
        backlog + frameSize(typeof data === 'string' ? data : data.json) > maxBufferedBytes()
      ) {
        slow(backlog);
        return false;
      }
      try {
        if (typeof data === 'string') socket.send(data);
        else if (!socket.sendFrame?.(sharedTextFrame(data))) socket.send(data.buffer);
      } catch (error) {
        failed(error);
        return false;
      }
      return true;
    },
  };
}
