import type { Logger } from '@onebot-gateway/core';

/** Warn lines per window; past it drops are logged at debug and summed up when the next window opens. */
export const DROP_WARNINGS_PER_WINDOW = 10;
export const DROP_WINDOW_MS = 60_000;

export interface MessageDrops {
  /** Count one dropped message and log one line saying where it was and what was wrong with it. */
  record(subject: string, problem: string): void;
  total(): number;
  /** The last drop's line, for status(). */
  last(): string | undefined;
}

/**
 * Every bad message from NATS (published by hand, by a broken peer) is
 * counted and gets one warn line, but a peer that sends nothing else must
 * not flood the log: past DROP_WARNINGS_PER_WINDOW lines a minute the rest
 * go to debug, and the next window starts with one line saying how many.
 * No timer: the summary waits for the next drop, so nothing needs stopping.
 */
export function createMessageDrops(log: Logger, now: () => number = Date.now): MessageDrops {
  let total = 0;
  let last: string | undefined;
  let windowStart = now();
  let warned = 0;
  let quiet = 0;
  return {
    record(subject, problem) {
      total += 1;
      const line = `dropped a message on ${subject}: ${problem}`;
      last = line;
      const time = now();
      if (time - windowStart >= DROP_WINDOW_MS) {
        if (quiet > 0) {
          log.warn(
            { droppedMessages: total - 1, quiet },
            `${quiet} more bad NATS messages were dropped and logged at debug only`,
          );
        }
        windowStart = time;
        warned = 0;
        quiet = 0;
      }
      const loud = warned < DROP_WARNINGS_PER_WINDOW;
      if (loud) warned += 1;
      else quiet += 1;
      log[loud ? 'warn' : 'debug']({ subject, droppedMessages: total }, line);
    },
    total: () => total,
    last: () => last,
  };
}
