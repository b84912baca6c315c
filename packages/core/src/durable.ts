import type { EventSubscription } from './bus/event-bus.js';
import type { OneBotEvent } from './types/events.js';

/**
 * Durable delivery (distributed mode): a backend that keeps events in a log
 * (NATS JetStream) lets a client adapter read them through a named consumer
 * of its own, acknowledged one by one, so a gateway killed mid-delivery
 * resumes where the consumer stood instead of losing what it had buffered.
 */

/** One event from a durable feed, formatted for its subscriber. */
export interface DurableDelivery {
  readonly event: OneBotEvent;
  /** The event as JSON, with `"redelivered": true` added when it may have reached the bot before. */
  readonly buffer: Buffer;
  /** Its position in the log (JetStream stream sequence). */
  readonly sequence: number;
  /** True when an earlier delivery of it was not acknowledged (the bot may have seen it). */
  readonly redelivered: boolean;
  /** Done with it: delivered, or given up on and logged. It will not come again. */
  ack(): void;
}

export interface DurableSubscription extends EventSubscription {
  /** The consumer's name; the same name resumes the same position (and several processes share it). */
  name: string;
  /** Deliveries handed out and not acknowledged at once; the log holds the rest back. */
  maxInFlight: number;
}

/** One event read back from the log, formatted for its reader. */
export interface LoggedEvent {
  readonly sequence: number;
  readonly json: string;
}

export interface DurableEventSource {
  /**
   * The events after `afterSequence`, oldest first, at most `maxEvents`,
   * matching `subscription` (format, self messages, filter); `more` when the
   * log holds more than were returned. For an SSE `Last-Event-ID` resume on
   * any edge.
   */
  readSince(
    afterSequence: number,
    subscription: EventSubscription,
    maxEvents: number,
  ): Promise<{ events: LoggedEvent[]; more: boolean }>;
  /**
   * Start (or resume) the named consumer; `listener` gets each event in log
   * order. Resolves with the stop function once the consumer is set up or
   * registered to start when the log is reachable.
   */
  subscribe(
    subscription: DurableSubscription,
    listener: (delivery: DurableDelivery) => void,
  ): Promise<() => Promise<void>>;
}

/** The adapter name as a consumer name: JetStream allows no ".", "*", ">", spaces or slashes in it. */
export function durableNameFor(adapterName: string, configured: string): string {
  const base = configured.trim() === '' ? `onebot-${adapterName}` : configured.trim();
  return base.replace(/[^A-Za-z0-9_-]/g, '_');
}

/**
 * The log position of an event read from a log (a NATS edge sets it): an
 * enumerable symbol, so it survives the bus's per-format copies (object
 * spread) and never reaches the JSON a bot gets.
 */
export const LOG_SEQUENCE: unique symbol = Symbol.for('onebot-gateway.logSequence');

export function logSequenceOf(event: object): number | undefined {
  const value = (event as { [LOG_SEQUENCE]?: unknown })[LOG_SEQUENCE];
  return typeof value === 'number' ? value : undefined;
}
