import type { EventFilter, EventFilterQuery } from '../filter/event-filter.js';
import { noopLogger, type Logger } from '../logger.js';
import type { OneBotEvent } from '../types/events.js';
import type { MessageFormat } from '../types/segments.js';
import { DeliveryViews, type DeliveredEvent } from './delivery-views.js';
import { filterReader, logSafely } from './subscriber-filter.js';

export { createDeliveryViews, formatEvent, type DeliveredEvent } from './delivery-views.js';

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
  /** Events delivered so far, each counted once however many subscribers got it (an overview's events/s). */
  publishedCount(): number;
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

export function createEventBus(options: { logger?: Logger } = {}): EventBus {
  const logger = options.logger ?? noopLogger;
  let subscribers: Subscriber[] = [];
  let audience: Audience = { everyone: [], selfReaders: [] };
  const pending: OneBotEvent[] = [];
  let delivering = false;
  /** Counts every nested publish until the outer one returns: a loop of one-at-a-time republishes is a loop too. */
  let publishedDuringDrain = 0;
  let published = 0;

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
    published += 1;
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
    publishedCount: () => published,
  };
}
