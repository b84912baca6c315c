import type { Segment } from '@onebot-gateway/core';
import { isPlainObject } from '@onebot-gateway/core/internal';
import { deliverGroupMessage, deliverPrivateMessage } from './message-flow.js';
import { toSegments } from './message-segments.js';
import { asOperatorCall, bad, readId, readInput, readMessageType, readOptionalId } from './operator-input.js';
import type { SandboxOperator, SimulateMessageResult } from './operator-types.js';
import type { SandboxState } from './state.js';
import { anonymousSenderOf, rememberAnonymous, type Group } from './world.js';

/**
 * The operator's simulateMessage: a friend, a stranger in a shared group or
 * a group member (possibly anonymous) writes to the bot.
 */
export function createMessageSimulator(state: SandboxState): SandboxOperator['simulateMessage'] {
  const { world } = state;
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

  return (raw) =>
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
    });
}
