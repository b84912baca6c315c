import { OneBotError, type MessageIdResult, type Segment, actionFailed } from '@onebot-gateway/core';
import { deliverGroupMessage, deliverPrivateMessage, type DeliveredMessage } from '../message-flow.js';
import { toSegments } from '../message-segments.js';
import { optionalBoolean, optionalId, optionalString, requiredId } from '../params.js';
import type { SandboxState } from '../state.js';

/**
 * Sending as the bot: where a message may go (mutes, friends, temporary
 * sessions), what send_msg's params mean, and the answer's id fields.
 */

type Params = Record<string, unknown>;

export function sendResult(delivered: DeliveredMessage): MessageIdResult {
  if (delivered.forward_id === undefined) return { message_id: delivered.message_id };
  // go-cqhttp answers forward_id, NapCat res_id: give both.
  return { message_id: delivered.message_id, forward_id: delivered.forward_id, res_id: delivered.forward_id };
}

function formatMuteEnd(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

export function sendToGroup(state: SandboxState, groupId: number, segments: Segment[]): DeliveredMessage {
  const { world } = state;
  const group = world.requireGroup(groupId);
  const self = world.self(group);
  const now = state.nowSeconds();
  if (self.shut_up_until > now) {
    throw actionFailed(
      `the bot is muted in group ${groupId} until ${formatMuteEnd(self.shut_up_until)}; it cannot send there`,
    );
  }
  if (world.isMuted(group, self, now)) {
    throw actionFailed(
      `group ${groupId} is muted as a whole (whole ban) and the bot is not an admin; it cannot send there`,
    );
  }
  return deliverGroupMessage(state, { postType: 'message_sent', group, sender: self, segments });
}

export function sendToUser(
  state: SandboxState,
  userId: number,
  groupId: number | undefined,
  segments: Segment[],
): DeliveredMessage {
  const { world } = state;
  if (userId === world.selfId) throw actionFailed('the bot cannot send a private message to itself');
  const friend = world.friends.get(userId);
  const base = {
    postType: 'message_sent' as const,
    peerId: userId,
    senderId: world.selfId,
    senderNickname: world.nickname,
    segments,
  };
  if (friend) return deliverPrivateMessage(state, { ...base, subType: 'friend' });
  if (groupId === undefined) {
    throw actionFailed(
      `user ${userId} is not a friend of the bot; pass the group_id of a group you share with them to open a temporary session`,
    );
  }
  const group = world.requireGroup(groupId);
  world.requireMember(group, userId);
  return deliverPrivateMessage(state, { ...base, subType: 'group', viaGroupId: groupId });
}

export function messageTypeOf(params: Params): 'private' | 'group' {
  const type = optionalString(params, 'message_type', '');
  if (type === 'private' || type === 'group') return type;
  if (type !== '')
    throw new OneBotError(
      'BAD_REQUEST',
      `param "message_type" must be "private" or "group", got ${JSON.stringify(type)}`,
    );
  if (optionalId(params, 'group_id') !== undefined) return 'group';
  if (optionalId(params, 'user_id') !== undefined) return 'private';
  throw new OneBotError(
    'BAD_REQUEST',
    'send_msg needs "group_id" (group message) or "user_id" (private message)',
  );
}

export function send(
  state: SandboxState,
  params: Params,
  messageType: 'private' | 'group',
  segments: Segment[],
): DeliveredMessage {
  return messageType === 'group'
    ? sendToGroup(state, requiredId(params, 'group_id'), segments)
    : sendToUser(state, requiredId(params, 'user_id'), optionalId(params, 'group_id'), segments);
}

export function messageSegments(params: Params): Segment[] {
  return toSegments(params.message, optionalBoolean(params, 'auto_escape', false));
}

export function forwardSegments(params: Params): Segment[] {
  const input = params.messages ?? params.message;
  if (input === undefined || input === null) {
    throw new OneBotError('BAD_REQUEST', 'param "messages" is required (an array of "node" segments)');
  }
  const segments = toSegments(input, false, 'messages');
  const stray = segments.findIndex((segment) => segment.type !== 'node');
  if (stray >= 0) {
    throw new OneBotError(
      'BAD_REQUEST',
      `messages[${stray}] is a "${segments[stray]!.type}" segment; a forward message holds only "node" segments`,
    );
  }
  return segments;
}
