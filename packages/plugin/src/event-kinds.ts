import type { OneBotEvent } from '@onebot-gateway/core';

/** The catch-all kind: every event a plugin may see. */
export const ANY_EVENT = '*';

/**
 * The kinds one event answers to, most general first: a group message is
 * `*`, `message`, `message.group` and `message.group.normal`; a poke is
 * `*`, `notice`, `notice.notify` and `notice.notify.poke`.
 */
export function eventKinds(event: OneBotEvent): string[] {
  const kinds = [ANY_EVENT, event.post_type];
  const detail = event.message_type ?? event.notice_type ?? event.request_type ?? event.meta_event_type;
  if (typeof detail !== 'string') return kinds;
  kinds.push(`${event.post_type}.${detail}`);
  if (typeof event.sub_type === 'string' && event.sub_type !== '') {
    kinds.push(`${event.post_type}.${detail}.${event.sub_type}`);
  }
  return kinds;
}
