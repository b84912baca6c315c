import type { DeliveredEvent } from '../bus/event-bus.js';
import { sharedTextFrame } from './frame.js';
import type { SessionOptions } from './session-options.js';
import type { SessionSocket } from './socket.js';

/** What a writer needs from its session: one object, so a connection pays for no extra closures. */
export interface WriterHost {
  readonly socket: SessionSocket;
  options(): Readonly<SessionOptions>;
  /** Unsent bytes from earlier ticks plus this frame would pass maxBufferedBytes: the peer is too slow. */
  cutSlowConsumer(backlog: number): void;
  /** The socket threw on write. */
  writeFailed(error: unknown): void;
}

function frameSize(text: string): number {
  // String length is a lower bound of its UTF-8 size: cheap and good enough for a limit.
  return text.length;
}

// Module-level so a cork schedules its uncork without allocating a closure.
function uncorkWriter(writer: SessionWriter): void {
  writer.uncork();
}

/**
 * Writes a session's text frames, batched per tick, and notices a peer that
 * stopped reading. A string (answers, meta events) or an event: an event goes
 * out as the frame shared by every connection when the socket takes
 * pre-framed bytes, so its payload Buffer is never made for it.
 */
export class SessionWriter {
  private corked = false;
  /**
   * Unsent bytes left over from earlier ticks, read once when a burst starts:
   * while corked nothing leaves, so it cannot change until the uncork.
   */
  private backlogAtCork = 0;

  constructor(private readonly host: WriterHost) {}

  /** Write one frame; false when it was not written (the host was told it was slow or failed). */
  write(data: string | DeliveredEvent): boolean {
    const { socket } = this.host;
    // Only data left over from earlier ticks counts: the current burst is still corked
    // on purpose (and its event buffers are shared with every other connection).
    if (!this.corked && socket.cork) {
      this.backlogAtCork = socket.bufferedAmount;
      this.corked = true;
      socket.cork();
      process.nextTick(uncorkWriter, this);
    }
    const backlog = this.corked ? this.backlogAtCork : socket.bufferedAmount;
    // An empty backlog always takes one frame, so a single big answer never counts as slowness.
    if (
      backlog > 0 &&
      backlog + frameSize(typeof data === 'string' ? data : data.json) > this.host.options().maxBufferedBytes
    ) {
      this.host.cutSlowConsumer(backlog);
      return false;
    }
    try {
      if (typeof data === 'string') socket.send(data);
      else if (!socket.sendFrame?.(sharedTextFrame(data))) socket.send(data.buffer);
    } catch (error) {
      this.host.writeFailed(error);
      return false;
    }
    return true;
  }

  uncork(): void {
    this.corked = false;
    this.host.socket.uncork?.();
  }
}
