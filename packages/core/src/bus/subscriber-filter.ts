import { eventFilterOf, type EventFilter, type EventFilterQuery } from '../filter/event-filter.js';
import type { Logger } from '../logger.js';

/** A broken injected logger must not break delivery to the other subscribers. */
export function logSafely(write: () => void): void {
  try {
    write();
  } catch {
    // Nothing sensible is left to do with a logger that throws.
  }
}

/** A filter that cannot be compiled (one that skipped config validation) delivers nothing, and says so once. */
const deliverNothing: EventFilter = {
  query: {},
  namesPostType: true,
  readsMessage: false,
  matches: () => false,
};

/**
 * Reads the subscription's filter value per event and compiles it only when
 * the value changed (a reload), so the per-event cost is one call and one
 * identity check.
 */
export function filterReader(
  read: () => EventFilterQuery | null | undefined,
  logger: Logger,
): () => EventFilter | undefined {
  let lastQuery: unknown;
  let lastFilter: EventFilter | undefined;
  const current = (): EventFilter | undefined => {
    const query = read();
    if (query === lastQuery) return lastFilter;
    lastQuery = query;
    try {
      lastFilter = eventFilterOf(query);
    } catch (error) {
      lastFilter = deliverNothing;
      logSafely(() =>
        logger.error({ err: error }, 'an event filter is invalid; this subscriber gets no events'),
      );
    }
    return lastFilter;
  };
  // Compiled (or found compiled) now, at subscribe time, not on the first event.
  current();
  return current;
}
