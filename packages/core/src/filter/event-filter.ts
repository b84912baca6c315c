import { parseCq } from '../message/cq-code.js';
import type { OneBotEvent } from '../types/events.js';
import { compileFilterMatcher } from './fast-path.js';
import { compileWithSift } from './sift-operations.js';
import { InvalidFilterError, queryNames, validateFilterQuery } from './validate-query.js';

/** A `filter` entry as written in the config: a MongoDB-style query over one event. */
export type EventFilterQuery = Record<string, unknown>;

/** A compiled `filter`: built once per config load, then asked once per event. */
export interface EventFilter {
  readonly query: EventFilterQuery;
  /** The query names `post_type`: meta events are matched like the rest instead of always passing. */
  readonly namesPostType: boolean;
  /** The query reads `message`: it must see the event in array form. */
  readonly readsMessage: boolean;
  /** Whether `event` (its `message`, if read, as segments) matches. Never throws. */
  matches(event: OneBotEvent): boolean;
}

const postTypeField = new Set(['post_type']);
const messageFields = new Set(['message', 'message_format']);

/**
 * Compile a filter. Throws `InvalidFilterError` (naming the operator) for an
 * unknown operator, a bad regular expression or a wrong shape.
 */
export function compileEventFilter(query: unknown): EventFilter {
  validateFilterQuery(query);
  let test: (event: unknown) => boolean;
  try {
    test = compileWithSift(query);
  } catch (error) {
    // Shapes validateFilterQuery does not know about; sift's message names the problem.
    throw new InvalidFilterError(`invalid filter: ${(error as Error).message}`);
  }
  // The common shapes compiled to one function (see fast-path.ts), which asks sift what it leaves open.
  const matches =
    compileFilterMatcher(query, test) ??
    ((event: unknown) => {
      try {
        return test(event);
      } catch {
        // A value that cannot be walked (a getter that throws) is no match rather than a lost event for everyone.
        return false;
      }
    });
  return {
    query,
    namesPostType: queryNames(query, postTypeField),
    readsMessage: queryNames(query, messageFields),
    matches,
  };
}

const compiledByObject = new WeakMap<object, EventFilter>();
/**
 * Equal queries (same JSON) share one compiled filter, so the bus decides
 * once per event for every adapter holding it (operators often copy one
 * filter to several entries). Only config loads add to it; the bound is a
 * backstop against a caller compiling fresh queries in a loop.
 */
const compiledByText = new Map<string, EventFilter>();
const MAX_SHARED_FILTERS = 1000;

/**
 * The compiled filter of a config value, compiled at most once per query
 * object: config parsing compiles it (to validate), and the adapters' event
 * subscriptions get the same compiled filter for every event after that.
 * `undefined`/`null` mean no filter.
 */
export function eventFilterOf(query: unknown): EventFilter | undefined {
  if (query === undefined || query === null) return undefined;
  if (typeof query !== 'object') return compileEventFilter(query);
  let filter = compiledByObject.get(query);
  if (filter !== undefined) return filter;
  const text = JSON.stringify(query);
  filter = compiledByText.get(text);
  if (filter === undefined) {
    filter = compileEventFilter(query);
    if (compiledByText.size >= MAX_SHARED_FILTERS) compiledByText.clear();
    compiledByText.set(text, filter);
  }
  compiledByObject.set(query, filter);
  return filter;
}

/** `message` as segments for code outside the bus (the bus shares its own array view). */
function withSegments(event: OneBotEvent): OneBotEvent {
  return typeof event.message === 'string' ? { ...event, message: parseCq(event.message) } : event;
}

/**
 * Whether an event goes through `filter`. `arrayForm` gives the event with
 * `message` as segments; it is only asked for when the filter reads
 * `message`, so a filter on ids costs no conversion. Meta events (lifecycle,
 * heartbeat) pass unless the filter names `post_type`.
 */
export function eventPassesFilter(
  filter: EventFilter | undefined,
  event: OneBotEvent,
  arrayForm: () => OneBotEvent = () => withSegments(event),
): boolean {
  if (filter === undefined) return true;
  if (event.post_type === 'meta_event' && !filter.namesPostType) return true;
  return filter.matches(filter.readsMessage ? arrayForm() : event);
}

/**
 * For events an adapter makes itself (lifecycle, heartbeat, which never pass
 * through the bus): whether the adapter's `filter` config value lets `event`
 * through. Never throws: a filter that cannot be compiled lets nothing through.
 */
export function passesFilterQuery(query: EventFilterQuery | null | undefined, event: OneBotEvent): boolean {
  if (query === undefined || query === null) return true;
  try {
    return eventPassesFilter(eventFilterOf(query), event);
  } catch {
    return false;
  }
}
