import type { Logger } from './logger.js';

/** A count of dropped input (bad frames, bad messages) that logs each drop without flooding the log. */
export interface WindowedDrops {
  /** Count one drop and log `line` with `fields` (and the running total under `totalKey`). */
  record(line: string, fields: Record<string, unknown>): void;
  total(): number;
  /** The last drop's line, for status(). */
  last(): string | undefined;
}

export interface WindowedDropsOptions {
  /** Warn lines per window; past it drops are logged at debug. */
  warningsPerWindow: number;
  windowMs: number;
  /** The log field that carries the running total, e.g. `droppedFrames`. */
  totalKey: string;
  /** The warn line that opens a window after `quiet` drops of the last one went to debug only. */
  summary(quiet: number): string;
  now?: () => number;
}

/**
 * Every drop is counted and gets one line, but a peer that sends nothing
 * else must not flood the log: past `warningsPerWindow` warn lines in a
 * window the rest go to debug, and the next window starts with one line
 * saying how many there were. No timer: the summary waits for the next
 * drop, so nothing needs stopping. (createDropLog is the timer-driven kind,
 * for drops of events the gateway was asked to deliver.)
 */
export function createWindowedDrops(log: Logger, options: WindowedDropsOptions): WindowedDrops {
  const { warningsPerWindow, windowMs, totalKey, summary } = options;
  const now = options.now ?? Date.now;
  let total = 0;
  let last: string | undefined;
  let windowStart = now();
  let warnedInWindow = 0;
  let quietInWindow = 0;

  return {
    record(line, fields) {
      total += 1;
      last = line;
      const time = now();
      if (time - windowStart >= windowMs) {
        if (quietInWindow > 0) {
          log.warn({ [totalKey]: total - 1, quiet: quietInWindow }, summary(quietInWindow));
        }
        windowStart = time;
        warnedInWindow = 0;
        quietInWindow = 0;
      }
      const loud = warnedInWindow < warningsPerWindow;
      if (loud) warnedInWindow += 1;
      else quietInWindow += 1;
      log[loud ? 'warn' : 'debug']({ ...fields, [totalKey]: total }, line);
    },
    total: () => total,
    last: () => last,
  };
}
