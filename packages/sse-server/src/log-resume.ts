import type { DurableEventSource, EventSubscription, Logger } from '@onebot-gateway/core';
import { encodeEventFrame } from './sse-frames.js';

/** A live frame that arrived while a stream was catching up from the log. */
export interface HeldFrame {
  seq: number;
  frame: Buffer;
}

export interface LogResumeOptions {
  source: DurableEventSource;
  subscription: EventSubscription;
  afterSequence: number;
  maxEvents: number;
  logger: Logger;
  remote: string;
  /** Write one frame to the stream; false once the stream is gone (closed or cut). */
  write(frame: Buffer): boolean;
  /** The live frames held meanwhile; called once, after the log's frames are written. */
  takeHeld(): HeldFrame[];
}

/**
 * Distributed mode (an edge, whose backend keeps the events in JetStream):
 * every event id is its stream sequence, so a `Last-Event-ID` from any edge
 * is a position in the same log. The events after it are read back from the
 * stream (at most `maxEvents`, sseReplayBufferSize), then the live frames
 * held meanwhile follow, without the ones the log already gave. Returns how
 * many events were written.
 */
export async function resumeFromLog(options: LogResumeOptions): Promise<number> {
  const { logger, remote, afterSequence } = options;
  let last = afterSequence;
  let written = 0;
  try {
    const { events, more } = await options.source.readSince(
      afterSequence,
      options.subscription,
      options.maxEvents,
    );
    if (more)
      logger.warn(
        { remote, lastEventId: afterSequence, replayed: events.length },
        `more events follow Last-Event-ID ${afterSequence} than sseReplayBufferSize (${options.maxEvents}); the rest are skipped`,
      );
    for (const event of events) {
      if (!options.write(encodeEventFrame(event.sequence, event.json))) return written;
      last = event.sequence;
      written += 1;
    }
  } catch (error) {
    logger.warn(
      { remote, lastEventId: afterSequence },
      `could not read the events after Last-Event-ID ${afterSequence} from the log (${(error as Error).message}); streaming from now`,
    );
  }
  for (const held of options.takeHeld()) {
    if (held.seq <= last) continue;
    if (!options.write(held.frame)) break;
  }
  return written;
}
