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

/** The event in one format: `message` as segments or CQ string, `message_format` set. */
export function formatEvent(event: OneBotEvent, format: MessageFormat): OneBotEvent {
  if (!hasMessage(event)) return event;
  const { message } = event;
  if (format === 'string') {
    const text = typeof message === 'string' ? message : encodeCq(message as Segment[]);
    return { ...event, message: text, message_format: 'string' };
  }
  const segments = typeof message === 'string' ? parseCq(message) : (message as Segment[]);
  return { ...event, message: segments, message_format: 'array' };
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
}

export function createEventBus(options: { logger?: Logger } = {}): EventBus {
  const logger = options.logger ?? noopLogger;
  let subscribers: Subscriber[] = [];

  return {
    publish(event) {
      const view = createDeliveryViews(event);
      const isSelfMessage = event.post_type === 'message_sent';
      // Iterate over the array as it is now: (un)subscribing during delivery
      // replaces the array instead of mutating it.
      for (const subscriber of subscribers) {
        if (isSelfMessage && !subscriber.subscription.reportSelfMessage) continue;
        try {
          subscriber.listener(view(subscriber.subscription.format));
        } catch (error) {
          logger.error({ err: error }, 'an event subscriber threw; the other subscribers still got the event');
        }
      }
    },
    subscribe(subscription, listener) {
      const subscriber = { subscription: { ...subscription }, listener };
      subscribers = [...subscribers, subscriber];
      return () => {
        subscribers = subscribers.filter((s) => s !== subscriber);
      };
    },
    subscriberCount: () => subscribers.length,
  };
}
