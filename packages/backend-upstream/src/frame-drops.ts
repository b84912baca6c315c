import type { Logger } from '@onebot-gateway/core';
import type { FrameProblem } from './upstream-frame.js';

/** Warn lines per window; past it drops are logged at debug and summed up when the next window opens. */
export const FRAME_DROP_WARNINGS_PER_WINDOW = 10;
export const FRAME_DROP_WINDOW_MS = 60_000;

export interface FrameDrops {
  /** Count one dropped frame and log one line saying what was wrong with it. */
  record(problem: FrameProblem, detail: string): void;
  total(): number;
  /** The last drop's line, for status(). */
  last(): string | undefined;
}

/**
 * Every bad frame from the upstream is counted and gets one warn line, but a
 * peer that sends nothing else must not flood the log: past
 * FRAME_DROP_WARNINGS_PER_WINDOW lines a minute the rest go to debug, and
 * the next window starts with one line saying how many there were. No
 * timer: the summary waits for the next drop, so nothing needs stopping.
 */
export function createFrameDrops(log: Logger, now: () => number = Date.now): FrameDrops {
  let total = 0;
  let last: string | undefined;
  let windowStart = now();
  let warnedInWindow = 0;
  let quietInWindow = 0;

  return {
    record(problem, detail) {
      total += 1;
      const line = `dropped a frame from the upstream: ${detail}`;
      last = line;
      const time = now();
      if (time - windowStart >= FRAME_DROP_WINDOW_MS) {
        if (quietInWindow > 0) {
          log.warn(
            { droppedFrames: total - 1, quiet: quietInWindow },
            `${quietInWindow} more bad frames from the upstream were dropped and logged at debug only`,
          );
        }
        windowStart = time;
        warnedInWindow = 0;
        quietInWindow = 0;
      }
      const loud = warnedInWindow < FRAME_DROP_WARNINGS_PER_WINDOW;
      if (loud) warnedInWindow += 1;
      else quietInWindow += 1;
      log[loud ? 'warn' : 'debug']({ problem, droppedFrames: total }, line);
    },
    total: () => total,
    last: () => last,
  };
}
