import type { Logger } from '@onebot-gateway/core';
import { createWindowedDrops } from '@onebot-gateway/core/internal';
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
 * Every bad frame from the upstream is counted and logged, at most
 * FRAME_DROP_WARNINGS_PER_WINDOW warn lines a minute (core's
 * createWindowedDrops says how).
 */
export function createFrameDrops(log: Logger, now: () => number = Date.now): FrameDrops {
  const drops = createWindowedDrops(log, {
    warningsPerWindow: FRAME_DROP_WARNINGS_PER_WINDOW,
    windowMs: FRAME_DROP_WINDOW_MS,
    totalKey: 'droppedFrames',
    summary: (quiet) => `${quiet} more bad frames from the upstream were dropped and logged at debug only`,
    now,
  });
  return {
    record: (problem, detail) => drops.record(`dropped a frame from the upstream: ${detail}`, { problem }),
    total: drops.total,
    last: drops.last,
  };
}
