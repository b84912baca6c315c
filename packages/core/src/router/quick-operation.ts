import { OneBotError } from '../errors.js';
import { normalizeMessage } from '../message/normalize.js';
import type { MessageInput, Segment } from '../types/segments.js';
import type { ActionRequest } from '../types/actions.js';
import type { OneBotEvent } from '../types/events.js';
import { readBoolean } from './boolean-words.js';

/** Default `ban_duration` of a group quick operation, in seconds. */
export const DEFAULT_QUICK_BAN_DURATION = 1800;

function isSet(operation: Record<string, unknown>, key: string): boolean {
  return readBoolean(operation[key]) === true;
}

function isAnonymous(event: OneBotEvent): boolean {
  return (event.anonymous !== undefined && event.anonymous !== null) || event.sub_type === 'anonymous';
}

function hasReply(reply: unknown): boolean {
  if (reply === undefined || reply === null || reply === '') return false;
  return !(Array.isArray(reply) && reply.length === 0);
}

function replySegments(event: OneBotEvent, operation: Record<string, unknown>): Segment[] {
  const reply = typeof operation.reply === 'number' ? String(operation.reply) : operation.reply;
  const segments = normalizeMessage(reply as MessageInput, isSet(operation, 'auto_escape'));
  // at_sender defaults to false here (protocol.md), unlike the OneBot 11 text.
  if (event.message_type === 'group' && isSet(operation, 'at_sender') && !isAnonymous(event)) {
    return [
      { type: 'at', data: { qq: String(event.user_id) } },
      { type: 'text', data: { text: ' ' } },
      ...segments,
    ];
  }
  return segments;
}

function banDuration(operation: Record<string, unknown>): number {
  const value = operation.ban_duration;
  if (value === undefined || value === null || value === '') return DEFAULT_QUICK_BAN_DURATION;
  const seconds = typeof value === 'string' ? Number(value.trim()) : value;
  if (typeof seconds !== 'number' || !Number.isSafeInteger(seconds) || seconds < 0) {
    throw new OneBotError(
      'BAD_REQUEST',
      `operation "ban_duration" must be a whole number of seconds, got ${JSON.stringify(value)}`,
    );
  }
  return seconds;
}

function replyTarget(event: OneBotEvent): ActionRequest {
  if (event.message_type === 'group') {
    return { action: 'send_group_msg', params: { group_id: event.group_id } };
  }
  // A temporary session is answered through the group it came from.
  const sender = event.sender as Record<string, unknown> | undefined;
  const tempGroup = event.sub_type === 'group' ? (event.group_id ?? sender?.group_id) : undefined;
  return {
    action: 'send_private_msg',
    params:
      tempGroup === undefined ? { user_id: event.user_id } : { user_id: event.user_id, group_id: tempGroup },
  };
}

function messageActions(event: OneBotEvent, operation: Record<string, unknown>): ActionRequest[] {
  const actions: ActionRequest[] = [];
  if (hasReply(operation.reply)) {
    const target = replyTarget(event);
    // auto_escape is applied while building the segments, so the send itself must not escape again.
    actions.push({
      action: target.action,
      params: { ...target.params, message: replySegments(event, operation), auto_escape: false },
    });
  }
  if (event.message_type !== 'group') return actions;
  if (isSet(operation, 'delete'))
    actions.push({ action: 'delete_msg', params: { message_id: event.message_id } });
  const anonymous = isAnonymous(event);
  // An anonymous sender has no member to kick; OneBot 11 ignores kick for them.
  if (isSet(operation, 'kick') && !anonymous) {
    actions.push({ action: 'set_group_kick', params: { group_id: event.group_id, user_id: event.user_id } });
  }
  if (isSet(operation, 'ban')) {
    const duration = banDuration(operation);
    const info = event.anonymous as Record<string, unknown> | null | undefined;
    actions.push(
      anonymous
        ? {
            action: 'set_group_anonymous_ban',
            params: {
              group_id: event.group_id,
              anonymous: info ?? undefined,
              anonymous_flag: info?.flag,
              duration,
            },
          }
        : { action: 'set_group_ban', params: { group_id: event.group_id, user_id: event.user_id, duration } },
    );
  }
  return actions;
}

function requestActions(event: OneBotEvent, operation: Record<string, unknown>): ActionRequest[] {
  if (operation.approve === undefined || operation.approve === null) return [];
  const approve = readBoolean(operation.approve);
  if (approve === undefined) {
    throw new OneBotError(
      'BAD_REQUEST',
      `operation "approve" must be a boolean, got ${JSON.stringify(operation.approve)}`,
    );
  }
  if (event.request_type === 'friend') {
    const params: Record<string, unknown> = { flag: event.flag, approve };
    if (operation.remark !== undefined && operation.remark !== null) params.remark = String(operation.remark);
    return [{ action: 'set_friend_add_request', params }];
  }
  if (event.request_type === 'group') {
    // `type` is the older spelling of `sub_type`; backends read one or the other.
    const params: Record<string, unknown> = {
      flag: event.flag,
      sub_type: event.sub_type,
      type: event.sub_type,
      approve,
    };
    if (operation.reason !== undefined && operation.reason !== null) params.reason = String(operation.reason);
    return [{ action: 'set_group_add_request', params }];
  }
  return [];
}

/**
 * Translate a quick operation (an HTTP POST reply, or the `operation` of
 * `.handle_quick_operation`) on an event into the action calls it stands
 * for (protocol.md section 6). Fields that do not apply to the event are
 * ignored, as the spec says; a field with an unreadable value (a
 * `ban_duration` of "soon") throws a 1400 OneBotError.
 */
export function quickOperationToActions(
  event: OneBotEvent,
  operation: Record<string, unknown>,
): ActionRequest[] {
  switch (event.post_type) {
    case 'message':
      return messageActions(event, operation);
    case 'request':
      return requestActions(event, operation);
    default:
      return [];
  }
}
