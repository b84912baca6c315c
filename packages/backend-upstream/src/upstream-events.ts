import { encodeCq, parseCq, type OneBotEvent, type Segment } from '@onebot-gateway/core';
import { isPlainObject } from '@onebot-gateway/core/internal';

/** True for a frame that is an event (not an action response). */
export function isEventFrame(frame: unknown): frame is OneBotEvent {
  return isPlainObject(frame) && typeof frame.post_type === 'string';
}

function toSegments(message: unknown): Segment[] | undefined {
  if (typeof message === 'string') return parseCq(message);
  if (Array.isArray(message)) return message as Segment[];
  if (isPlainObject(message) && typeof message.type === 'string') return [message as unknown as Segment];
  return undefined;
}

/**
 * An upstream event as the bus expects it: message events carry `message` as
 * segments and a `raw_message` CQ string, so each adapter gets its own format.
 * Every other field, known or not, is kept as the upstream sent it.
 */
export function normaliseUpstreamEvent(event: OneBotEvent): OneBotEvent {
  if (event.post_type !== 'message' && event.post_type !== 'message_sent') return event;
  const segments = toSegments(event.message);
  if (!segments) return event;
  const rawMessage = typeof event.raw_message === 'string' ? event.raw_message : encodeCq(segments);
  const { message_format: _upstreamFormat, ...rest } = event;
  return { ...rest, message: segments, raw_message: rawMessage };
}

/** The bot's QQ number from an event, when it carries a usable one. */
export function selfIdOf(event: OneBotEvent): number | undefined {
  const id = Number(event.self_id);
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}
