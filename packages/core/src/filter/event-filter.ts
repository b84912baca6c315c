import sift from 'sift';
import { parseCq } from '../message/cq-code.js';
import type { OneBotEvent } from '../types/events.js';
import { InvalidFilterError, filterOperators, queryNames, validateFilterQuery } from './validate-query.js';

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

type SiftOperation = (params: unknown, ownerQuery: unknown, options: unknown, name: string) => unknown;
const siftOperations = sift as unknown as Record<string, SiftOperation>;

/**
 * `$in` over plain values (the group whitelist case) as one Set lookup
 * instead of sift's test per listed value: a 50-id list costs what a 1-id
 * list does. Same matching rules as `looseEquals` (a number equals the
 * string spelling it; null also matches a missing field). Lists holding
 * objects, arrays or regular expressions go to sift's own `$in`.
 */
function scalarMembership(values: readonly unknown[]): ((value: unknown) => boolean) | undefined {
  const texts = new Set<string>();
  const others = new Set<unknown>();
  let matchesNull = false;
  for (const value of values) {
    if (typeof value === 'number' || typeof value === 'string') texts.add(String(value));
    else if (value === null) matchesNull = true;
    else if (typeof value === 'boolean') others.add(value);
    else return undefined;
  }
  return (value) => {
    if (typeof value === 'number' || typeof value === 'string') return texts.has(String(value));
    if (value === null || value === undefined) return matchesNull;
    return others.has(value);
  };
}

const fastIn: SiftOperation = (params, ownerQuery, options, name) => {
  const membership = Array.isArray(params) ? scalarMembership(params) : undefined;
  return membership
    ? sift.createEqualsOperation(membership, ownerQuery, options as never)
    : siftOperations['$in']!(params, ownerQuery, options, name);
};

const isScalar = (value: unknown): boolean =>
  value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/** Marks a path that crosses or ends in an array: sift's own walk decides those. */
const NOT_PLAIN = Symbol('not a plain path');

function plainValueAt(item: unknown, path: readonly string[]): unknown {
  let value = item;
  for (const key of path) {
    if (Array.isArray(value)) return NOT_PLAIN;
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return Array.isArray(value) ? NOT_PLAIN : value;
}

/**
 * `$elemMatch` whose query is plain field/value pairs (the "@ the bot"
 * case: `{"type": "at", "data.qq": "10000"}`) as direct property reads,
 * about 20x faster than sift's general walk. An element where a path meets
 * an array is handed to sift's own `$elemMatch` query, so results are the
 * same; other shapes go to sift entirely.
 */
const fastElemMatch: SiftOperation = (params, ownerQuery, options, name) => {
  const entries = Object.entries(params as Record<string, unknown>);
  if (entries.length === 0 || !entries.every(([key, value]) => !key.startsWith('$') && isScalar(value)))
    return siftOperations['$elemMatch']!(params, ownerQuery, options, name);
  const fields = entries.map(([key, value]) => ({ path: key.split('.'), value }));
  const general = sift.createQueryTester(params as never, options as never) as (item: unknown) => boolean;
  const elementMatches = (element: unknown): boolean => {
    for (const field of fields) {
      const actual = plainValueAt(element, field.path);
      if (actual === NOT_PLAIN) return general(element);
      if (!looseEquals(field.value, actual)) return false;
    }
    return true;
  };
  return sift.createEqualsOperation(
    (item: unknown) => Array.isArray(item) && item.some(elementMatches),
    ownerQuery,
    options as never,
  );
};

/** Only the operators of `filterOperators`: sift's others ($where runs code) stay out. */
const allowedOperations: Record<string, SiftOperation> = {
  ...Object.fromEntries(filterOperators.map((name) => [name, siftOperations[name]!])),
  $in: fastIn,
  $elemMatch: fastElemMatch,
  // "in none of": the complement of the fast $in across every value on the path, as sift's $nin is.
  $nin: (params, ownerQuery, options, name) =>
    siftOperations['$not']!({ $in: params }, ownerQuery, options, name),
};

function deepEquals(a: unknown, b: unknown): boolean {
  if (a === b || (a == null && b == null)) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, index) => deepEquals(item, b[index]));
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(b))
    return false;
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;
  return aKeys.every((key) => deepEquals((a as never)[key], (b as never)[key]));
}

/**
 * Equality for `$eq`, `$in`, `$ne`, `$nin` and plain values: a number equals
 * the string that spells it. Segment data values are strings on the wire
 * (protocol.md section 5) but some backends send numbers, and ids in events
 * are numbers but users quote them, so `"data.qq": "10000"` and
 * `"group_id": {"$in": ["123"]}` match either spelling.
 */
function looseEquals(expected: unknown, actual: unknown): boolean {
  if (typeof expected === 'number' && typeof actual === 'string')
    return actual !== '' && String(expected) === actual;
  if (typeof expected === 'string' && typeof actual === 'number') return expected === String(actual);
  return deepEquals(expected, actual);
}

/**
 * Compile a filter. Throws `InvalidFilterError` (naming the operator) for an
 * unknown operator, a bad regular expression or a wrong shape.
 */
export function compileEventFilter(query: unknown): EventFilter {
  validateFilterQuery(query);
  let test: (event: unknown) => boolean;
  try {
    const operation = sift.createQueryOperation(query, null, {
      operations: allowedOperations as never,
      compare: looseEquals,
    });
    test = sift.createOperationTester(operation) as (event: unknown) => boolean;
  } catch (error) {
    // Shapes validateFilterQuery does not know about; sift's message names the problem.
    throw new InvalidFilterError(`invalid filter: ${(error as Error).message}`);
  }
  return {
    query,
    namesPostType: queryNames(query, postTypeField),
    readsMessage: queryNames(query, messageFields),
    matches(event) {
      try {
        return test(event);
      } catch {
        // A value sift cannot walk (a getter that throws) is no match rather than a lost event for everyone.
        return false;
      }
    },
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
