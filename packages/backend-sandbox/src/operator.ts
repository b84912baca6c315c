import type { OneBotEvent } from '@onebot-gateway/core';
import { noticeEvent, requestEvent } from './events.js';
import { groupConversation, privateConversation } from './history.js';
import { asOperatorCall, bad, readId, readInput, readMessageType, readOptionalId } from './operator-input.js';
import { createMessageSimulator } from './operator-messages.js';
import type { SandboxOperator } from './operator-types.js';
import type { SandboxState } from './state.js';
import { roleRank } from './world.js';

/**
 * The operator API: a person (through the gateway's admin routes) or a test
 * plays the other side of the sandbox. Every method validates against the
 * world and throws a BAD_REQUEST OneBotError (HTTP 400) naming what is wrong;
 * nothing is published when it throws.
 */
export function createSandboxOperator(state: SandboxState): SandboxOperator {
  const { world, history, requests } = state;
  const selfId = world.selfId;
  const simulateMessage = createMessageSimulator(state);

  function conversationKey(query: Record<string, unknown>): string {
    const messageType = readMessageType(query.message_type);
    if (messageType === 'group') {
      const groupId = readOptionalId('group_id', query.group_id);
      if (groupId === undefined) throw bad('"group_id" is required for a group conversation');
      world.requireGroup(groupId);
      return groupConversation(groupId);
    }
    const userId = readOptionalId('user_id', query.user_id);
    if (userId === undefined) throw bad('"user_id" is required for a private conversation');
    const key = privateConversation(userId);
    if (history.conversation(key).length === 0 && world.nicknameOf(userId) === undefined) {
      throw bad(`user ${userId} is unknown to the sandbox: not a friend or group member`);
    }
    return key;
  }

  return {
    simulateMessage,

    simulateRequest: (raw) =>
      asOperatorCall(() => {
        const input = readInput(raw, 'a simulated request');
        const userId = readId('user_id', input.user_id);
        if (userId === selfId) throw bad(`user ${userId} is the bot itself`);
        const comment = typeof input.comment === 'string' ? input.comment : '';
        const nickname =
          typeof input.nickname === 'string' && input.nickname !== '' ? input.nickname : `User ${userId}`;
        const now = state.nowSeconds();
        if (input.request_type === 'friend') {
          if (world.friends.has(userId)) throw bad(`user ${userId} is already a friend of the bot`);
          world.rememberUser(userId, nickname);
          const request = requests.add({ request_type: 'friend', user_id: userId, comment, time: now });
          const event = requestEvent(state, 'friend', { user_id: userId, comment, flag: request.flag });
          state.publish(event);
          return { flag: request.flag, event };
        }
        if (input.request_type !== 'group') {
          throw bad(
            `"request_type" must be "friend" or "group", got ${JSON.stringify(input.request_type) ?? 'nothing'}`,
          );
        }
        const subType = input.sub_type ?? 'add';
        if (subType !== 'add' && subType !== 'invite')
          throw bad(`"sub_type" must be "add" or "invite", got ${JSON.stringify(subType)}`);
        const groupId = readOptionalId('group_id', input.group_id);
        if (groupId === undefined) throw bad('"group_id" is required for a group request');
        if (subType === 'add') {
          const group = world.requireGroup(groupId);
          if (group.members.has(userId)) throw bad(`user ${userId} is already a member of group ${groupId}`);
          if (group.blocked.has(userId))
            throw bad(
              `user ${userId} was kicked from group ${groupId} with reject_add_request; QQ refuses their requests`,
            );
        } else if (world.groups.has(groupId)) {
          throw bad(`the bot is already in group ${groupId}; an invitation needs a group it is not in`);
        }
        world.rememberUser(userId, nickname);
        const request = requests.add({
          request_type: 'group',
          sub_type: subType,
          user_id: userId,
          group_id: groupId,
          comment,
          time: now,
        });
        const event = requestEvent(state, 'group', {
          sub_type: subType,
          group_id: groupId,
          user_id: userId,
          comment,
          flag: request.flag,
        });
        state.publish(event);
        return { flag: request.flag, event };
      }),

    simulateGroupDecrease: (raw) =>
      asOperatorCall(() => {
        const input = readInput(raw, 'a simulated group decrease');
        const group = world.requireGroup(readId('group_id', input.group_id));
        const userId = readId('user_id', input.user_id);
        const target = world.requireMember(group, userId);
        const operatorId = readOptionalId('operator_id', input.operator_id) ?? userId;
        if (operatorId === userId) {
          if (userId === selfId)
            throw bad('the bot leaves a group with the set_group_leave action, not the operator API');
          if (target.role === 'owner')
            throw bad(`user ${userId} owns group ${group.group_id} and cannot leave it`);
        } else {
          if (operatorId === selfId)
            throw bad('the bot kicks members with the set_group_kick action, not the operator API');
          const operator = world.requireMember(group, operatorId);
          if (roleRank[operator.role] < roleRank.admin || roleRank[operator.role] <= roleRank[target.role]) {
            throw bad(
              `user ${operatorId} (${operator.role}) may not kick user ${userId} (${target.role}) from group ${group.group_id}`,
            );
          }
        }
        const subType = operatorId === userId ? 'leave' : userId === selfId ? 'kick_me' : 'kick';
        if (userId === selfId) {
          world.removeGroup(group.group_id);
          history.dropConversation(groupConversation(group.group_id));
        } else {
          group.members.delete(userId);
          world.rememberUser(userId, target.nickname);
        }
        const event = noticeEvent(state, 'group_decrease', {
          sub_type: subType,
          group_id: group.group_id,
          operator_id: operatorId,
          user_id: userId,
        });
        state.publish(event);
        return { event };
      }),

    simulateRecall: (raw) =>
      asOperatorCall(() => {
        const input = readInput(raw, 'a simulated recall');
        const messageId = readId('message_id', input.message_id);
        const message = history.get(messageId);
        if (!message) throw bad(`message ${messageId} not found in the sandbox's history`);
        let event: OneBotEvent;
        if (message.message_type === 'group') {
          const group = world.requireGroup(message.group_id!);
          const operatorId = readOptionalId('operator_id', input.operator_id) ?? message.user_id;
          if (operatorId === selfId)
            throw bad('the bot recalls messages with the delete_msg action, not the operator API');
          if (operatorId !== message.user_id) {
            const operator = world.requireMember(group, operatorId);
            const senderRole = group.members.get(message.user_id)?.role ?? 'member';
            if (roleRank[operator.role] < roleRank.admin || roleRank[operator.role] <= roleRank[senderRole]) {
              throw bad(
                `user ${operatorId} (${operator.role}) may not recall a message of user ${message.user_id} (${senderRole})`,
              );
            }
          }
          event = noticeEvent(state, 'group_recall', {
            group_id: group.group_id,
            user_id: message.user_id,
            operator_id: operatorId,
            message_id: messageId,
          });
        } else {
          if (message.user_id === selfId)
            throw bad(`message ${messageId} is the bot's own; a friend cannot recall it`);
          event = noticeEvent(state, 'friend_recall', { user_id: message.user_id, message_id: messageId });
        }
        history.remove(messageId);
        state.publish(event);
        return { event };
      }),

    conversation: (raw) =>
      asOperatorCall(() => {
        const query = readInput(raw, 'a conversation query');
        const list = history.conversation(conversationKey(query));
        let limit = list.length;
        if (query.limit !== undefined && query.limit !== null && query.limit !== '') {
          const parsed = Number(query.limit);
          if (!Number.isSafeInteger(parsed) || parsed < 1)
            throw bad(`"limit" must be a positive integer, got ${JSON.stringify(query.limit)}`);
          limit = Math.min(parsed, list.length);
        }
        return list.slice(list.length - limit).map((message) => ({
          message_id: message.message_id,
          user_id: message.user_id,
          time: message.time,
          message: structuredClone(message.message),
          raw_message: message.raw_message,
        }));
      }),

    snapshot: () => ({
      self_id: selfId,
      nickname: world.nickname,
      friends: [...world.friends.values()].map((friend) => ({ ...friend })),
      groups: [...world.groups.values()].map((group) => ({
        group_id: group.group_id,
        group_name: group.group_name,
        whole_ban: group.whole_ban,
        anonymous_enabled: group.anonymous_enabled,
        members: [...group.members.values()].map((member) => ({
          user_id: member.user_id,
          nickname: member.nickname,
          card: member.card,
          role: member.role,
          title: member.title,
          shut_up_until: member.shut_up_until,
        })),
      })),
      requests: requests.list(),
      history: {
        messages: history.size(),
        forwards: history.forwardCount(),
        conversations: history.conversationSizes(),
      },
      stats: { ...state.stats },
    }),
  };
}
