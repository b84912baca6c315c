import type { Logger } from '@onebot-gateway/core';
import { createWindowedDrops } from '@onebot-gateway/core/internal';

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
 * counted and logged, at most DROP_WARNINGS_PER_WINDOW warn lines a minute
 * (core's createWindowedDrops says how).
 */
export function createMessageDrops(log: Logger, now: () => number = Date.now): MessageDrops {
  const drops = createWindowedDrops(log, {
    warningsPerWindow: DROP_WARNINGS_PER_WINDOW,
    windowMs: DROP_WINDOW_MS,
    totalKey: 'droppedMessages',
    summary: (quiet) => `${quiet} more bad NATS messages were dropped and logged at debug only`,
    now,
  });
  return {
    record: (subject, problem) => drops.record(`dropped a message on ${subject}: ${problem}`, { subject }),
    total: drops.total,
    last: drops.last,
  };
}
