import type { Logger } from './logger.js';
import type { OneBotEvent } from './types/events.js';

export interface DropLog<R extends string> {
  /**
   * Count one dropped event and log it (see the bounds below). `event` may be
   * a function: it is only called when the line is actually logged, so a
   * flood of drops does not parse every event just to describe it.
   */
  record(reason: R, detail: string, event: OneBotEvent | (() => OneBotEvent | undefined) | undefined): void;
  readonly total: number;
  byReason(): Partial<Record<R, number>>;
  /** Log what the current window suppressed and stop the window timer. */
  flush(): void;
}

/** Lines logged per reason per window before the rest are only counted and summarised. */
export const DROP_LINES_PER_WINDOW = 10;
export const DROP_WINDOW_MS = 5000;

/** A short, token-free description of an event for log lines. */
export function describeEvent(event: OneBotEvent | undefined): Record<string, unknown> {
  if (event === undefined) return {};
  const kind = event.message_type ?? event.notice_type ?? event.request_type ?? event.meta_event_type;
  return {
    post_type: event.post_type,
    ...(kind === undefined ? {} : { type: kind }),
    ...(event.message_id === undefined ? {} : { message_id: event.message_id }),
  };
}

/**
 * Every dropped event is counted and logged with its reason, but a dead
 * endpoint under load must not turn into a log flood: per reason the first
 * DROP_LINES_PER_WINDOW drops of a 5 s window get their own warn line, the
 * rest of the window gets one summary line with the count.
 */
export function createDropLog<R extends string>(logger: Logger): DropLog<R> {
  const counts: Partial<Record<R, number>> = {};
  const inWindow = new Map<R, number>();
  let total = 0;
  let timer: NodeJS.Timeout | undefined;

  function closeWindow(): void {
    timer = undefined;
    for (const [reason, count] of inWindow) {
      const suppressed = count - DROP_LINES_PER_WINDOW;
      if (suppressed > 0) {
        logger.warn(
          { reason, dropped: suppressed, droppedTotal: counts[reason] },
          `dropped ${suppressed} more events (${reason}) in the last ${DROP_WINDOW_MS / 1000} s`,
        );
      }
    }
    inWindow.clear();
  }

  return {
    record(reason, detail, event) {
      total += 1;
      counts[reason] = (counts[reason] ?? 0) + 1;
      const seen = (inWindow.get(reason) ?? 0) + 1;
      inWindow.set(reason, seen);
      if (timer === undefined) {
        timer = setTimeout(closeWindow, DROP_WINDOW_MS);
        timer.unref();
      }
      if (seen <= DROP_LINES_PER_WINDOW) {
        logger.warn(
          {
            reason,
            event: describeEvent(typeof event === 'function' ? event() : event),
            droppedTotal: total,
          },
          `dropped an event (${reason}): ${detail}`,
        );
      }
    },
    get total() {
      return total;
    },
    byReason: () => ({ ...counts }),
    flush() {
      if (timer !== undefined) clearTimeout(timer);
      closeWindow();
    },
  };
}
