import type { OneBotEvent, Segment } from './types.js';

// OneBot 11's CQ code escaping: text escapes & [ ], parameter values also the comma.
const escapeText = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/\[/g, '&#91;').replace(/]/g, '&#93;');
const escapeParam = (text: string) => escapeText(text).replace(/,/g, '&#44;');

/** Segments as a CQ string, the `string` post format of OneBot 11. */
export function segmentsToCq(segments: Segment[]): string {
  return segments
    .map((segment) => {
      if (segment.type === 'text') return escapeText(String(segment.data.text ?? ''));
      const params = Object.entries(segment.data ?? {})
        .filter(([, value]) => value !== undefined && value !== null)
        .map(
          ([key, value]) =>
            `,${key}=${escapeParam(typeof value === 'object' ? JSON.stringify(value) : String(value))}`,
        )
        .join('');
      return `[CQ:${segment.type}${params}]`;
    })
    .join('');
}

/** The same event with `message` as a CQ string. */
export function inStringFormat(event: OneBotEvent): OneBotEvent {
  return Array.isArray(event.message) ? { ...event, message: segmentsToCq(event.message) } : event;
}

/** One line of plain text for a list row. */
export function summaryOf(event: OneBotEvent): string {
  if (typeof event.raw_message === 'string') return event.raw_message;
  if (Array.isArray(event.message)) return segmentsToCq(event.message);
  if (typeof event.message === 'string') return event.message;
  const { post_type: _p, time: _t, self_id: _s, ...rest } = event;
  return JSON.stringify(rest);
}

export function kindOf(event: OneBotEvent): string {
  const detail = event.message_type ?? event.notice_type ?? event.request_type ?? event.meta_event_type;
  return detail ? `${event.post_type}.${String(detail)}` : event.post_type;
}
