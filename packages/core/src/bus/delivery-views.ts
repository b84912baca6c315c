import { isPlainObject } from '../config/fields.js';
import { OneBotError } from '../errors.js';
import { encodeCq, parseCq } from '../message/cq-code.js';
import type { OneBotEvent } from '../types/events.js';
import type { MessageFormat, Segment } from '../types/segments.js';

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

function hasMessage(event: OneBotEvent): boolean {
  return (event.post_type === 'message' || event.post_type === 'message_sent') && event.message !== undefined;
}

/** `message` as segments, whatever shape the backend published it in. */
function toSegments(message: unknown): unknown {
  if (typeof message === 'string') return parseCq(message);
  // One bare segment object is a backend slip; subscribers expect an array.
  if (isPlainObject(message)) return [message];
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
export class DeliveryViews {
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
