import { OneBotError, isOneBotError, type OneBotEvent, type Segment } from '@onebot-gateway/core';
import { noticeEvent, requestEvent } from './events.js';
import { groupConversation, privateConversation } from './history.js';
import { deliverGroupMessage, deliverPrivateMessage, toSegments } from './message-flow.js';
import type { SandboxState } from './state.js';
import { anonymousSenderOf, rememberAnonymous, roleRank, type Group } from './world.js';
import { isPlainObject } from '@onebot-gateway/core/internal';

/**
 * The operator API: a person (through the gateway's admin routes) or a test
 * plays the other side of the sandbox. Every method validates against the
 * world and throws a BAD_REQUEST OneBotError (HTTP 400) naming what is wrong;
 * nothing is published when it throws.
 */

export interface SimulateMessageInput {
  message_type: 'private' | 'group';
  user_id: number | string;
  /** Group messages: the group. Private messages: a shared group, for a temporary session with a non-friend. */
  group_id?: number | string;
  /** A CQ string, one segment or a segment array. */
  message: string | Segment | Segment[];
  /** Send a CQ string as plain text. */
  auto_escape?: boolean;
  /** Fields that override the event's `sender` (user_id always stays the sender's). */
  sender?: Record<string, unknown>;
  /** Group messages: send anonymously under this name (the group must allow anonymous chat). A member keeps one identity (flag) per group; refused while set_group_anonymous_ban holds it. */
  anonymous?: { name?: string };
}

export interface SimulateMessageResult {
  message_id: number;
  event: OneBotEvent;
}

export interface SimulateRequestInput {
  request_type: 'friend' | 'group';
  /** Group requests: `add` (user asks to join a bot's group, the default) or `invite` (user invites the bot). */
  sub_type?: 'add' | 'invite';
  user_id: number | string;
  group_id?: number | string;
  comment?: string;
  /** The requester's nickname, remembered for get_stranger_info and, once approved, the friend list. */
  nickname?: string;
}

export interface SimulateRequestResult {
  flag: string;
  event: OneBotEvent;
}

export interface SimulateGroupDecreaseInput {
  group_id: number | string;
  user_id: number | string;
  /** Who removed the user: absent or the user themself = they left; another member = a kick (`kick_me` when the bot is kicked). */
  operator_id?: number | string;
}

export interface SimulateRecallInput {
  message_id: number | string;
  /** Group messages: who recalls it (default the sender); must be the sender or outrank them. */
  operator_id?: number | string;
}

export interface ConversationQuery {
  message_type: 'private' | 'group';
  group_id?: number | string;
  user_id?: number | string;
  /** The newest `limit` messages (default: all remembered). */
  limit?: number | string;
}

export interface ConversationMessage {
  message_id: number;
  /** Sender; the bot's id for its own messages. */
  user_id: number;
  /** Seconds. */
  time: number;
  message: Segment[];
  raw_message: string;
}

export interface SandboxSnapshot {
  self_id: number;
  nickname: string;
  friends: Array<{ user_id: number; nickname: string; remark: string }>;
  groups: Array<{
    group_id: number;
    group_name: string;
    whole_ban: boolean;
    anonymous_enabled: boolean;
    members: Array<{
      user_id: number;
      nickname: string;
      card: string;
      role: string;
      title: string;
      shut_up_until: number;
    }>;
  }>;
  requests: Array<{
    flag: string;
    request_type: string;
    sub_type?: string;
    user_id: number;
    group_id?: number;
    comment: string;
    time: number;
  }>;
  history: { messages: number; forwards: number; conversations: Record<string, number> };
  stats: { messagesSent: number; messagesReceived: number; eventsPublished: number };
}

export interface SandboxOperator {
  simulateMessage(input: SimulateMessageInput): SimulateMessageResult;
  simulateRequest(input: SimulateRequestInput): SimulateRequestResult;
  simulateGroupDecrease(input: SimulateGroupDecreaseInput): { event: OneBotEvent };
  simulateRecall(input: SimulateRecallInput): { event: OneBotEvent };
  conversation(query: ConversationQuery): ConversationMessage[];
  snapshot(): SandboxSnapshot;
}

function bad(message: string, cause?: unknown): OneBotError {
  return new OneBotError('BAD_REQUEST', message, cause === undefined ? {} : { cause });
}

/** World lookups fail with retcode 100 for actions; for the operator they are bad requests. */
function asOperatorCall<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (isOneBotError(error) && error.code === 'ACTION_FAILED') throw bad(error.message, error);
    throw error;
  }
}

function readId(name: string, value: unknown): number {
  const parsed = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof parsed === 'number' && Number.isSafeInteger(parsed) && parsed > 0) return parsed;
  throw bad(`"${name}" must be a QQ number (a positive integer), got ${JSON.stringify(value) ?? 'nothing'}`);
}

function readOptionalId(name: string, value: unknown): number | undefined {
  return value === undefined || value === null || value === '' ? undefined : readId(name, value);
}

function readInput(value: unknown, what: string): Record<string, unknown> {
  if (!isPlainObject(value)) throw bad(`${what} must be an object`);
  return value;
}

function readMessageType(value: unknown): 'private' | 'group' {
  if (value === 'private' || value === 'group') return value;
  throw bad(`"message_type" must be "private" or "group", got ${JSON.stringify(value) ?? 'nothing'}`);
}

export function createSandboxOperator(state: SandboxState): SandboxOperator {
  const { world, history, requests } = state;
  const selfId = world.selfId;
  let anonymousSequence = 0;

  function senderOverrides(value: unknown): Record<string, unknown> | undefined {
    if (value === undefined) return undefined;
    if (!isPlainObject(value))
      throw bad('"sender" must be an object like {"nickname": "Alice", "card": "..."}');
    return { ...value };
  }

  function groupMessage(
    input: Record<string, unknown>,
    userId: number,
    segments: Segment[],
  ): SimulateMessageResult {
    const groupId = readOptionalId('group_id', input.group_id);
    if (groupId === undefined) throw bad('"group_id" is required for a group message');
    const group = world.requireGroup(groupId);
    const member = world.requireMember(group, userId);
    const now = state.nowSeconds();
    if (world.isMuted(group, member, now)) {
      throw bad(
        member.shut_up_until > now
          ? `user ${userId} is muted in group ${groupId} until ${new Date(member.shut_up_until * 1000).toISOString()}`
          : `group ${groupId} is muted as a whole and user ${userId} is not an admin`,
      );
    }
    let anonymous;
    if (input.anonymous !== undefined && input.anonymous !== null && input.anonymous !== false) {
      if (!group.anonymous_enabled)
        throw bad(`group ${groupId} does not allow anonymous chat (set_group_anonymous)`);
      const name =
        isPlainObject(input.anonymous) && typeof input.anonymous.name === 'string'
          ? input.anonymous.name
          : 'Anonymous';
      const known = anonymousSenderOf(group, userId);
      if (known && known.banned_until > now) {
        throw bad(
          `user ${userId}'s anonymous identity "${known.flag}" is banned in group ${groupId} until ${new Date(known.banned_until * 1000).toISOString()} (set_group_anonymous_ban)`,
        );
      }
      let sender = known;
      if (!sender) {
        anonymousSequence += 1;
        sender = {
          id: 80000000 + (anonymousSequence % 1000000),
          name,
          flag: `sandbox-anonymous-${groupId}-${anonymousSequence}`,
          user_id: userId,
          banned_until: 0,
        };
      }
      sender.name = name;
      rememberAnonymous(group, sender);
      anonymous = { id: sender.id, name: sender.name, flag: sender.flag };
    }
    const overrides = senderOverrides(input.sender);
    const delivered = deliverGroupMessage(state, {
      postType: 'message',
      group,
      sender: member,
      segments,
      ...(overrides ? { senderOverrides: overrides } : {}),
      ...(anonymous ? { anonymous } : {}),
    });
    return { message_id: delivered.message_id, event: delivered.event };
  }

  function privateMessage(
    input: Record<string, unknown>,
    userId: number,
    segments: Segment[],
  ): SimulateMessageResult {
    const friend = world.friends.get(userId);
    const groupId = readOptionalId('group_id', input.group_id);
    let viaGroup: Group | undefined;
    if (!friend) {
      if (groupId === undefined) {
        throw bad(
          `user ${userId} is not a friend of the bot; add them to gateway.backend.friends, or pass the group_id of a shared group for a temporary-session message`,
        );
      }
      viaGroup = world.requireGroup(groupId);
      world.requireMember(viaGroup, userId);
    }
    const overrides = senderOverrides(input.sender);
    const delivered = deliverPrivateMessage(state, {
      postType: 'message',
      peerId: userId,
      senderId: userId,
      senderNickname: friend?.nickname ?? world.nicknameOf(userId) ?? `User ${userId}`,
      subType: friend ? 'friend' : 'group',
      ...(viaGroup ? { viaGroupId: viaGroup.group_id } : {}),
      segments,
      ...(overrides ? { senderOverrides: overrides } : {}),
    });
    return { message_id: delivered.message_id, event: delivered.event };
  }

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
    simulateMessage: (raw) =>
      asOperatorCall(() => {
        const input = readInput(raw, 'a simulated message');
        const messageType = readMessageType(input.message_type);
        const userId = readId('user_id', input.user_id);
        if (userId === selfId)
          throw bad(`user ${userId} is the bot itself; the bot's own messages are sent with send_msg`);
        if (input.message === undefined || input.message === null)
          throw bad('"message" is required (a CQ string or segments)');
        const segments = toSegments(input.message, input.auto_escape === true);
        return messageType === 'group'
          ? groupMessage(input, userId, segments)
          : privateMessage(input, userId, segments);
      }),

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
