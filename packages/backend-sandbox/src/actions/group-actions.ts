import { OneBotError, actionFailed } from '@onebot-gateway/core';

import { noticeEvent } from '../events.js';
import { groupConversation } from '../history.js';
import { optionalBoolean, optionalInteger, optionalString, requiredId, requiredString } from '../params.js';
import type { SandboxState } from '../state.js';
import type { Group, Member } from '../world.js';
import { registerGroupInfoActions } from './group-info-actions.js';
import type { RegisterAction } from './register.js';

/** Group administration, with the permission rules of a real group; reading is in group-info-actions.ts. */

/** QQ's longest mute: 30 days. */
const MAX_BAN_SECONDS = 30 * 24 * 3600;
/** Bounded memory: users remembered per group as "kicked, refuse their join requests". */
const BLOCKED_PER_GROUP = 1000;

function readDuration(params: Record<string, unknown>, fallback: number): number {
  const duration = optionalInteger(params, 'duration', fallback);
  if (duration < 0)
    throw new OneBotError(
      'BAD_REQUEST',
      `param "duration" must be 0 (lift) or a number of seconds, got ${duration}`,
    );
  if (duration > MAX_BAN_SECONDS)
    throw actionFailed(`a mute lasts at most ${MAX_BAN_SECONDS} s (30 days); got ${duration}`);
  return duration;
}

/** Target of an admin action: a member other than the bot that the bot outranks. */
function manageableMember(state: SandboxState, group: Group, userId: number, action: string): Member {
  const { world } = state;
  const self = world.requireBotRole(group, 'admin', action);
  const target = world.requireMember(group, userId);
  if (userId === world.selfId)
    throw actionFailed(`${action}: the bot cannot do this to itself in group ${group.group_id}`);
  world.requireOutranks(group, self, target, action);
  return target;
}

export function registerGroupActions(state: SandboxState, register: RegisterAction): void {
  const { world } = state;
  const selfId = world.selfId;

  registerGroupInfoActions(state, register);

  register('set_group_kick', (params) => {
    const group = world.requireGroup(requiredId(params, 'group_id'));
    const target = manageableMember(state, group, requiredId(params, 'user_id'), 'set_group_kick');
    group.members.delete(target.user_id);
    world.rememberUser(target.user_id, target.nickname);
    if (optionalBoolean(params, 'reject_add_request', false)) {
      if (group.blocked.size >= BLOCKED_PER_GROUP) group.blocked.delete(group.blocked.values().next().value!);
      group.blocked.add(target.user_id);
    }
    state.publish(
      noticeEvent(state, 'group_decrease', {
        sub_type: 'kick',
        group_id: group.group_id,
        operator_id: selfId,
        user_id: target.user_id,
      }),
    );
    return null;
  });

  register('set_group_ban', (params) => {
    const group = world.requireGroup(requiredId(params, 'group_id'));
    const target = manageableMember(state, group, requiredId(params, 'user_id'), 'set_group_ban');
    const duration = readDuration(params, 1800);
    const now = state.nowSeconds();
    const wasMuted = target.shut_up_until > now;
    target.shut_up_until = duration === 0 ? 0 : now + duration;
    // Lifting a mute that is not there changes nothing, so no notice (as on QQ).
    if (duration === 0 && !wasMuted) return null;
    state.publish(
      noticeEvent(state, 'group_ban', {
        sub_type: duration === 0 ? 'lift_ban' : 'ban',
        group_id: group.group_id,
        operator_id: selfId,
        user_id: target.user_id,
        duration,
      }),
    );
    return null;
  });

  register('set_group_anonymous_ban', (params) => {
    const group = world.requireGroup(requiredId(params, 'group_id'));
    world.requireBotRole(group, 'admin', 'set_group_anonymous_ban');
    const anonymous = params.anonymous as { flag?: unknown } | undefined;
    const flag =
      typeof anonymous === 'object' && anonymous !== null && anonymous.flag !== undefined
        ? String(anonymous.flag)
        : optionalString(params, 'anonymous_flag', '') || optionalString(params, 'flag', '');
    if (flag === '')
      throw new OneBotError('BAD_REQUEST', 'pass "anonymous" (from the message event) or "anonymous_flag"');
    const duration = readDuration(params, 1800);
    const sender = group.anonymous.get(flag);
    if (!sender)
      throw actionFailed(
        `no anonymous member with flag "${flag}" has spoken in group ${group.group_id} recently`,
      );
    // Held on the identity: the operator refuses that member's anonymous messages until then (0 lifts it).
    sender.banned_until = duration === 0 ? 0 : state.nowSeconds() + duration;
    return null;
  });

  register('set_group_whole_ban', (params) => {
    const group = world.requireGroup(requiredId(params, 'group_id'));
    world.requireBotRole(group, 'admin', 'set_group_whole_ban');
    const enable = optionalBoolean(params, 'enable', true);
    if (group.whole_ban === enable) return null;
    group.whole_ban = enable;
    // go-cqhttp and NapCat report a whole-group mute as group_ban on user 0, duration -1.
    state.publish(
      noticeEvent(state, 'group_ban', {
        sub_type: enable ? 'ban' : 'lift_ban',
        group_id: group.group_id,
        operator_id: selfId,
        user_id: 0,
        duration: enable ? -1 : 0,
      }),
    );
    return null;
  });

  register('set_group_admin', (params) => {
    const group = world.requireGroup(requiredId(params, 'group_id'));
    world.requireBotRole(group, 'owner', 'set_group_admin');
    const target = world.requireMember(group, requiredId(params, 'user_id'));
    if (target.role === 'owner')
      throw actionFailed(
        `user ${target.user_id} owns group ${group.group_id}; the owner's role cannot change`,
      );
    const enable = optionalBoolean(params, 'enable', true);
    const role = enable ? 'admin' : 'member';
    if (target.role === role) return null;
    target.role = role;
    state.publish(
      noticeEvent(state, 'group_admin', {
        sub_type: enable ? 'set' : 'unset',
        group_id: group.group_id,
        user_id: target.user_id,
      }),
    );
    return null;
  });

  register('set_group_anonymous', (params) => {
    const group = world.requireGroup(requiredId(params, 'group_id'));
    world.requireBotRole(group, 'admin', 'set_group_anonymous');
    group.anonymous_enabled = optionalBoolean(params, 'enable', true);
    return null;
  });

  register('set_group_card', (params) => {
    const group = world.requireGroup(requiredId(params, 'group_id'));
    const target = world.requireMember(group, requiredId(params, 'user_id'));
    if (target.user_id !== selfId) world.requireOutranks(group, world.self(group), target, 'set_group_card');
    const card = optionalString(params, 'card', '');
    if (card === target.card) return null;
    const old = target.card;
    target.card = card;
    // go-cqhttp's and NapCat's extension notice; clients ignore what they do not know.
    state.publish(
      noticeEvent(state, 'group_card', {
        group_id: group.group_id,
        user_id: target.user_id,
        card_new: card,
        card_old: old,
      }),
    );
    return null;
  });

  register('set_group_name', (params) => {
    const group = world.requireGroup(requiredId(params, 'group_id'));
    world.requireBotRole(group, 'admin', 'set_group_name');
    group.group_name = requiredString(params, 'group_name');
    return null;
  });

  register('set_group_leave', (params) => {
    const group = world.requireGroup(requiredId(params, 'group_id'));
    const isDismiss = optionalBoolean(params, 'is_dismiss', false);
    if (world.self(group).role === 'owner' && !isDismiss) {
      throw actionFailed(
        `the bot owns group ${group.group_id}; an owner cannot just leave, pass is_dismiss: true to dismiss the group`,
      );
    }
    world.removeGroup(group.group_id);
    state.history.dropConversation(groupConversation(group.group_id));
    state.publish(
      noticeEvent(state, 'group_decrease', {
        sub_type: 'leave',
        group_id: group.group_id,
        operator_id: selfId,
        user_id: selfId,
      }),
    );
    return null;
  });

  register('set_group_special_title', (params) => {
    const group = world.requireGroup(requiredId(params, 'group_id'));
    world.requireBotRole(group, 'owner', 'set_group_special_title');
    const target = world.requireMember(group, requiredId(params, 'user_id'));
    const title = optionalString(params, 'special_title', '');
    optionalInteger(params, 'duration', -1);
    if (title === target.title) return null;
    target.title = title;
    state.publish(
      noticeEvent(state, 'notify', {
        sub_type: 'title',
        group_id: group.group_id,
        user_id: target.user_id,
        title,
      }),
    );
    return null;
  });
}
