import { normalizeMessage } from '../message/normalize.js';
import type { Segment } from '../types/segments.js';
import type { ActionRequest } from '../types/actions.js';
import type { OneBotEvent } from '../types/events.js';

/** Default `ban_duration` of a group quick operation, in seconds. */
export const DEFAULT_QUICK_BAN_DURATION = 1800;

function truthy(value: unknown): boolean {
  if (typeof value === 'string') return ['true', '1', 'yes'].includes(value.trim().toLowerCase());
  return value === true || value === 1;
}

function replySegments(event: OneBotEvent, operation: Record<string, unknown>): Segment[] {
  const segments = normalizeMessage(operation.reply as never, truthy(operation.auto_escape));
  const anonymous = event.anonymous !== undefined && event.anonymous !== null;
  if (event.message_type === 'group' && truthy(operation.at_sender) && !anonymous) {
    return [{ type: 'at', data: { qq: String(event.user_id) } }, { type: 'text', data: { text: ' ' } }, ...segments];
  }
  return segments;
}

function messageActions(event: OneBotEvent, operation: Record<string, unknown>): ActionRequest[] {
  const actions: ActionRequest[] = [];
  const isGroup = event.message_type === 'group';
  const anonymous = event.anonymous as Record<string, unknown> | null | undefined;
  if (operation.reply !== undefined && operation.reply !== null && operation.reply !== '') {
    const target = isGroup ? { group_id: event.group_id } : { user_id: event.user_id };
    actions.push({
      action: isGroup ? 'send_group_msg' : 'send_private_msg',
      params: { ...target, message: replySegments(event, operation), auto_escape: false },
    });
  }
  if (!isGroup) return actions;
  if (truthy(operation.delete)) actions.push({ action: 'delete_msg', params: { message_id: event.message_id } });
  if (truthy(operation.kick) && !anonymous) {
    actions.push({ action: 'set_group_kick', params: { group_id: event.group_id, user_id: event.user_id } });
  }
  if (truthy(operation.ban)) {
    const duration = operation.ban_duration === undefined ? DEFAULT_QUICK_BAN_DURATION : Number(operation.ban_duration);
    actions.push(
      anonymous
        ? { action: 'set_group_anonymous_ban', params: { group_id: event.group_id, anonymous, duration } }
        : { action: 'set_group_ban', params: { group_id: event.group_id, user_id: event.user_id, duration } },
    );
  }
  return actions;
}

/**
 * Translate a quick operation (an HTTP POST reply, or the `operation` of
 * `.handle_quick_operation`) on an event into the action calls it stands
 * for (protocol.md section 6). Fields that do not apply to the event are
 * ignored, as the spec says.
 */
export function quickOperationToActions(event: OneBotEvent, operation: Record<string, unknown>): ActionRequest[] {
  switch (event.post_type) {
    case 'message':
      return messageActions(event, operation);
    case 'request': {
      if (operation.approve === undefined) return [];
      const approve = truthy(operation.approve);
      if (event.request_type === 'friend') {
        return [{ action: 'set_friend_add_request', params: { flag: event.flag, approve, remark: operation.remark ?? '' } }];
      }
      if (event.request_type === 'group') {
        return [
          {
            action: 'set_group_add_request',
            params: { flag: event.flag, sub_type: event.sub_type, type: event.sub_type, approve, reason: operation.reason ?? '' },
          },
        ];
      }
      return [];
    }
    default:
      return [];
  }
}
