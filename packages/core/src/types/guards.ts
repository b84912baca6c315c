import type {
  EventBase,
  MessageEvent,
  MessageSentEvent,
  MetaEvent,
  NoticeEvent,
  RequestEvent,
  StandardEvent,
} from './events.js';

/*
 * Narrow the loose `OneBotEvent` that adapters and plugins receive to the
 * precise types. They check `post_type` only: the bus carries what the
 * backend published, and these do not validate the other fields.
 */

/** The event as the precise union, for a `switch` on `post_type` and the detail types. */
export function asStandardEvent(event: EventBase): StandardEvent {
  return event as unknown as StandardEvent;
}

export function isMessageEvent(event: EventBase): event is EventBase & MessageEvent {
  return event.post_type === 'message';
}

/** The bot's own message (only adapters with `reportSelfMessage: true` get these). */
export function isMessageSentEvent(event: EventBase): event is EventBase & MessageSentEvent {
  return event.post_type === 'message_sent';
}

export function isNoticeEvent(event: EventBase): event is EventBase & NoticeEvent {
  return event.post_type === 'notice';
}

export function isRequestEvent(event: EventBase): event is EventBase & RequestEvent {
  return event.post_type === 'request';
}

export function isMetaEvent(event: EventBase): event is EventBase & MetaEvent {
  return event.post_type === 'meta_event';
}
