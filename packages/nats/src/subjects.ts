import type { OneBotEvent } from '@onebot-gateway/core';

/**
 * The subject layout of distributed mode (docs/protocol.md, "Distributed
 * mode"). Everything is keyed by the account (`self_id`) right after the
 * prefix, so one NATS carries many accounts and an edge can filter on one.
 *
 *   <prefix>.<self_id>.event.<post_type>[.<detail>]   events, in the stream
 *   <prefix>.<self_id>.action                         actions, request/reply
 */

// Anything else in a token (".", "*", ">", whitespace) would change the subject's meaning or be refused.
const unsafeTokenCharacters = /[^A-Za-z0-9_-]/g;

/** One subject token from an event field: unsafe characters become "_", an empty or missing one "unknown". */
export function subjectToken(value: unknown): string {
  if (typeof value !== 'string' && typeof value !== 'number') return 'unknown';
  const token = String(value).replace(unsafeTokenCharacters, '_');
  return token === '' ? 'unknown' : token;
}

/** The detail token of an event: its message, notice, request or meta event type. */
function detailOf(event: OneBotEvent): unknown {
  return event.message_type ?? event.notice_type ?? event.request_type ?? event.meta_event_type;
}

export function eventSubject(prefix: string, selfId: number, event: OneBotEvent): string {
  const detail = detailOf(event);
  const base = `${prefix}.${selfId}.event.${subjectToken(event.post_type)}`;
  return detail === undefined ? base : `${base}.${subjectToken(detail)}`;
}

export function actionSubject(prefix: string, selfId: number): string {
  return `${prefix}.${selfId}.action`;
}

/** What the stream stores: every account's events under the prefix. */
export function streamSubjects(prefix: string): string[] {
  return [`${prefix}.*.event.>`];
}

/** One account's events, for an edge's consumers. */
export function accountEventsFilter(prefix: string, selfId: number): string {
  return `${prefix}.${selfId}.event.>`;
}
