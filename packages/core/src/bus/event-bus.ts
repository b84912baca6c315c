import { encodeCq, parseCq } from '../message/cq-code.js';
import { noopLogger, type Logger } from '../logger.js';
import type { OneBotEvent } from '../types/events.js';
import type { MessageFormat, Segment } from '../types/segments.js';

export interface EventSubscription {
  format: MessageFormat;
  reportSelfMessage: boolean;
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
  /** Publish an event once; every matching subscriber gets it synchronously. */
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

class LazyDeliveredEvent implements DeliveredEvent {
  #json: string | undefined;
  #buffer: Buffer | undefined;
  constructor(
    readonly event: OneBotEvent,
    readonly isSelfMessage: boolean,
  ) {}
  get json(): string {
    return (this.#json ??= JSON.stringify(this.event));
  }
  get buffer(): Buffer {
    return (this.#buffer ??= Buffer.from(this.json));
  }
}

/**
 * Prepare an event for delivery in both formats. Views are built on first
 * demand; events without a message share one view for both formats.
 */
export function createDeliveryViews(event: OneBotEvent): (format: MessageFormat) => DeliveredEvent {
  const isSelfMessage = event.post_type === 'message_sent';
  if (!hasMessage(event)) {
    const shared = new LazyDeliveredEvent(event, isSelfMessage);
    return () => shared;
  }
  const views: Partial<Record<MessageFormat, DeliveredEvent>> = {};
  return (format) => (views[format] ??= new LazyDeliveredEvent(formatEvent(event, format), isSelfMessage));
}

interface Subscriber {
  subscription: EventSubscription;
  listener: EventListener;
  /** False once unsubscribed: a delivery already under way skips it. */
  active: boolean;
}

export function createEventBus(options: { logger?: Logger } = {}): EventBus {
  const logger = options.logger ?? noopLogger;
  let subscribers: Subscriber[] = [];

  function deliver(subscriber: Subscriber, view: (format: MessageFormat) => DeliveredEvent): void {
    try {
      subscriber.listener(view(subscriber.subscription.format));
    } catch (error) {
      logger.error({ err: error }, 'an event subscriber threw; the other subscribers still got the event');
    }
  }

  return {
    publish(event) {
      const view = createDeliveryViews(event);
      const isSelfMessage = event.post_type === 'message_sent';
      // Iterate over the array as it is now: subscribing during delivery
      // replaces the array (a new subscriber starts with the next event), and
      // unsubscribing clears `active` so a removed subscriber gets nothing more.
      for (const subscriber of subscribers) {
        if (!subscriber.active) continue;
        if (isSelfMessage && !subscriber.subscription.reportSelfMessage) continue;
        deliver(subscriber, view);
      }
    },
    subscribe(subscription, listener) {
      const subscriber: Subscriber = { subscription: { ...subscription }, listener, active: true };
      subscribers = [...subscribers, subscriber];
      return () => {
        if (!subscriber.active) return;
        subscriber.active = false;
        subscribers = subscribers.filter((s) => s !== subscriber);
      };
    },
    subscriberCount: () => subscribers.length,
  };
}
