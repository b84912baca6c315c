import { OneBotError } from '../errors.js';
import { eventFilterOf, type EventFilter, type EventFilterQuery } from '../filter/event-filter.js';
import { encodeCq, parseCq } from '../message/cq-code.js';
import { noopLogger, type Logger } from '../logger.js';
import type { OneBotEvent } from '../types/events.js';
import type { MessageFormat, Segment } from '../types/segments.js';

export interface EventSubscription {
  format: MessageFormat;
  reportSelfMessage: boolean;
  /**
   * The adapter's current `filter` config value (absent: every event). Read
   * per event, so a reload that changes it applies without resubscribing;
   * compiled once per query object. Runs before the subscriber's format is
   * encoded: a filtered event costs that subscriber no serialisation.
   */
  filter?: () => EventFilterQuery | null | undefined;
}

/**
 * One event as one subscriber sees it. `json` and `buffer` are computed on
 * first use and shared by every subscriber of the same format, so a fan-out
 * to N connections serialises once.
 */
export interface DeliveredEvent {
  readonly event: OneBotEvent;
  readonly json: string;
  readonly buffer: Buffer;
  readonly isSelfMessage: boolean;
}

export type EventListener = (delivered: DeliveredEvent) => void;

export interface EventBus {
  /**
   * Publish an event once; every matching subscriber gets it before this
   * returns. An event published from inside a subscriber is delivered right
   * after the current one, never in the middle of it.
   */
  publish(event: OneBotEvent): void;
  subscribe(subscription: EventSubscription, listener: EventListener): () => void;
  subscriberCount(): number;
}

function hasMessage(event: OneBotEvent): boolean {
  return (event.post_type === 'message' || event.post_type === 'message_sent') && event.message !== undefined;
}

/** `message` as segments, whatever shape the backend published it in. */
function toSegments(message: unknown): unknown {
  if (typeof message === 'string') return parseCq(message);
  // One bare segment object is a backend slip; subscribers expect an array.
  if (typeof message === 'object' && message !== null && !Array.isArray(message)) return [message];
  return message;
}

/** `message` as a CQ string; anything that is not segments is left alone. */
function toCqString(message: unknown): unknown {
  if (Array.isArray(message)) return encodeCq(message as Segment[]);
  if (typeof message === 'object' && message !== null) return encodeCq([message as Segment]);
  return message;
}

/**
 * The event in one format: `message` as segments or a CQ string and
 * `message_format` set. Events without a message are returned as they are.
 * Never mutates `event`.
 */
export function formatEvent(event: OneBotEvent, format: MessageFormat): OneBotEvent {
  if (!hasMessage(event)) return event;
  if (format === 'string') return { ...event, message: toCqString(event.message), message_format: 'string' };
  return { ...event, message: toSegments(event.message), message_format: 'array' };
}

/** Why an event could not be delivered in some format; thrown once, reused for every subscriber. */
function encodingError(what: string, event: OneBotEvent, cause: unknown): OneBotError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const kind = [
    event.post_type,
    event.message_type ?? event.notice_type ?? event.request_type ?? event.meta_event_type,
  ]
    .filter((part) => typeof part === 'string')
    .join('.');
  return new OneBotError(
    'INTERNAL',
    `could not ${what} a ${kind || 'malformed'} event (${reason}); the backend published a value this format cannot carry`,
    {
      cause,
    },
  );
}

class LazyDeliveredEvent implements DeliveredEvent {
  #json: string | undefined;
  #buffer: Buffer | undefined;
  #error: OneBotError | undefined;
  /**
   * The WebSocket frame of this event, cached here by session/frame.ts: a
   * field on an object that exists anyway costs far less per event than a
   * WeakMap entry. Declared so every instance has the same shape.
   */
  textFrame: readonly Buffer[] | undefined = undefined;
  constructor(
    readonly event: OneBotEvent,
    readonly isSelfMessage: boolean,
  ) {}
  get json(): string {
    if (this.#json !== undefined) return this.#json;
    if (this.#error) throw this.#error;
    try {
      this.#json = JSON.stringify(this.event);
    } catch (error) {
      // A BigInt or a cycle: remember it so N subscribers cost one attempt.
      throw (this.#error = encodingError('serialise', this.event, error));
    }
    return this.#json;
  }
  get buffer(): Buffer {
    return (this.#buffer ??= Buffer.from(this.json));
  }
}

/**
 * One event prepared for delivery in both formats. Each format's view is
 * built on first demand and kept, so it is converted and serialised at most
 * once; an event without a message has one view for both formats. A
 * conversion that fails throws the same error for every later request.
 * A class rather than closures: one allocation per publish on the hot path.
 */
class DeliveryViews {
  #array: DeliveredEvent | undefined;
  #string: DeliveredEvent | undefined;
  #failures: Partial<Record<MessageFormat, OneBotError>> | undefined;
  readonly #event: OneBotEvent;
  readonly #isSelfMessage: boolean;
  readonly #hasMessage: boolean;

  constructor(event: OneBotEvent) {
    this.#event = event;
    this.#isSelfMessage = event.post_type === 'message_sent';
    this.#hasMessage = hasMessage(event);
  }

  get(format: MessageFormat): DeliveredEvent {
    if (!this.#hasMessage) return (this.#array ??= new LazyDeliveredEvent(this.#event, this.#isSelfMessage));
    return format === 'string'
      ? (this.#string ??= this.#build('string'))
      : (this.#array ??= this.#build('array'));
  }

  #build(format: MessageFormat): DeliveredEvent {
    const failure = this.#failures?.[format];
    if (failure) throw failure;
    try {
      return new LazyDeliveredEvent(formatEvent(this.#event, format), this.#isSelfMessage);
    } catch (error) {
      throw ((this.#failures ??= {})[format] = encodingError(
        `convert to the ${format} format`,
        this.#event,
        error,
      ));
    }
  }
}

/** The view of `event` in each format, for code that delivers outside the bus. */
export function createDeliveryViews(event: OneBotEvent): (format: MessageFormat) => DeliveredEvent {
  const views = new DeliveryViews(event);
  return (format) => views.get(format);
}

interface Subscriber {
  readonly listener: EventListener;
  // Read once at subscribe time: the subscription object may change later.
  readonly wantsString: boolean;
  readonly reportSelfMessage: boolean;
  /** The compiled current filter; absent when the subscription has none. */
  readonly currentFilter: (() => EventFilter | undefined) | undefined;
  /** False once unsubscribed: a delivery already under way skips it. */
  active: boolean;
}

/**
 * Who gets which event, worked out when subscribers change rather than per
 * publish and per subscriber: `everyone` for ordinary events, `selfReaders`
 * (reportSelfMessage) for self messages, both in subscription order.
 * Replaced, never mutated, so a delivery under way keeps iterating the
 * lists it started with.
 */
interface Audience {
  readonly everyone: readonly Subscriber[];
  readonly selfReaders: readonly Subscriber[];
}

/**
 * Events published by subscribers while one outer `publish` is delivering
 * wait in a queue; past this many in one outer publish the bus assumes a
 * publish loop, logs and drops.
 */
const MAX_PENDING_EVENTS = 10_000;

/** A broken injected logger must not break delivery to the other subscribers. */
function logSafely(write: () => void): void {
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
function filterReader(
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

export function createEventBus(options: { logger?: Logger } = {}): EventBus {
  const logger = options.logger ?? noopLogger;
  let subscribers: Subscriber[] = [];
  let audience: Audience = { everyone: [], selfReaders: [] };
  const pending: OneBotEvent[] = [];
  let delivering = false;
  /** Counts every nested publish until the outer one returns: a loop of one-at-a-time republishes is a loop too. */
  let publishedDuringDrain = 0;

  function setSubscribers(next: Subscriber[]): void {
    subscribers = next;
    audience = { everyone: next, selfReaders: next.filter((subscriber) => subscriber.reportSelfMessage) };
  }

  function logSubscriberError(error: unknown): void {
    logSafely(() =>
      logger.error({ err: error }, 'an event subscriber threw; the other subscribers still got the event'),
    );
  }

  /**
   * The hot loop of a fan-out: per subscriber one flag check, one branch on
   * the precomputed format and the call. Each format's view is looked up
   * once per event (a failed conversion is retried through `views`, which
   * throws the same remembered error, so it is logged once).
   */
  function deliverToAll(event: OneBotEvent): void {
    const views = new DeliveryViews(event);
    // Iterate over the lists as they are now: subscribing during delivery
    // replaces them (a new subscriber starts with the next event), and
    // unsubscribing clears `active` so a removed subscriber gets nothing more.
    const recipients = event.post_type === 'message_sent' ? audience.selfReaders : audience.everyone;
    let arrayView: DeliveredEvent | undefined;
    let stringView: DeliveredEvent | undefined;
    // Subscribers of one adapter share its compiled filter: decide once per event for all of them.
    let decidedFilter: EventFilter | undefined;
    let decided = true;
    // Errors already logged for this event: a failed encoding fails every subscriber of its format alike.
    let logged: Set<unknown> | undefined;
    for (let index = 0; index < recipients.length; index++) {
      const subscriber = recipients[index]!;
      if (!subscriber.active) continue;
      try {
        if (subscriber.currentFilter !== undefined) {
          // Before the subscriber's view is asked for: a filtered event is never encoded for it.
          const filter = subscriber.currentFilter();
          if (filter !== undefined) {
            if (filter !== decidedFilter) {
              decidedFilter = filter;
              // eventPassesFilter's rule, inlined: this is the per-subscriber cost of a filter.
              // Meta events pass unless the filter names post_type; `message` is read as segments.
              decided =
                (event.post_type === 'meta_event' && !filter.namesPostType) ||
                filter.matches(filter.readsMessage ? (arrayView ??= views.get('array')).event : event);
            }
            if (!decided) continue;
          }
        }
        subscriber.listener(
          subscriber.wantsString ? (stringView ??= views.get('string')) : (arrayView ??= views.get('array')),
        );
      } catch (error) {
        if (logged?.has(error)) continue;
        (logged ??= new Set()).add(error);
        logSubscriberError(error);
      }
    }
  }

  return {
    publish(event) {
      if (delivering) {
        // Published from inside a subscriber (a plugin whose action makes the
        // backend publish synchronously): deliver it after the current event,
        // so every subscriber sees events in publish order.
        if (++publishedDuringDrain > MAX_PENDING_EVENTS) {
          logSafely(() =>
            logger.error(
              { postType: event.post_type },
              `dropped an event: over ${MAX_PENDING_EVENTS} events were published from inside subscribers (a publish loop?)`,
            ),
          );
          return;
        }
        pending.push(event);
        return;
      }
      delivering = true;
      publishedDuringDrain = 0;
      try {
        deliverToAll(event);
        for (let next = pending.shift(); next !== undefined; next = pending.shift()) deliverToAll(next);
      } finally {
        delivering = false;
        pending.length = 0;
      }
    },
    subscribe(subscription, listener) {
      const subscriber: Subscriber = {
        listener,
        wantsString: subscription.format === 'string',
        reportSelfMessage: subscription.reportSelfMessage,
        currentFilter: subscription.filter && filterReader(subscription.filter, logger),
        active: true,
      };
      setSubscribers([...subscribers, subscriber]);
      return () => {
        if (!subscriber.active) return;
        subscriber.active = false;
        setSubscribers(subscribers.filter((s) => s !== subscriber));
      };
    },
    subscriberCount: () => subscribers.length,
  };
}
