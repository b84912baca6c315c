import { OneBotError, type GroupHonorInfo, type GroupInfo, type GroupMemberInfo } from '@onebot-gateway/core';
import { actionFailed } from '@onebot-gateway/core/internal';
import { noticeEvent } from '../events.js';
import { groupConversation } from '../history.js';
import { optionalBoolean, optionalInteger, optionalString, requiredId, requiredString } from '../params.js';
import type { SandboxState } from '../state.js';
import { roleRank, type Group, type Member } from '../world.js';
import type { RegisterAction } from './register.js';

/** Group information and administration, with the permission rules of a real group. */

const MAX_MEMBERS = 500;
/** QQ's longest mute: 30 days. */
const MAX_BAN_SECONDS = 30 * 24 * 3600;
/** Bounded memory: users remembered per group as "kicked, refuse their join requests". */
const BLOCKED_PER_GROUP = 1000;
const HONOR_TYPES = ['talkative', 'performer', 'legend', 'strong_newbie', 'emotion'] as const;

function avatarOf(userId: number): string {
  return `https://q1.qlogo.cn/g?b=qq&nk=${userId}&s=640`;
}

export function groupInfo(group: Group): GroupInfo {
  return {
    group_id: group.group_id,
    group_name: group.group_name,
    member_count: group.members.size,
    max_member_count: MAX_MEMBERS,
    group_all_shut: group.whole_ban ? -1 : 0,
  };
}

function memberInfo(state: SandboxState, group: Group, member: Member): GroupMemberInfo {
  const self = state.world.self(group);
  const now = state.nowSeconds();
  const canChangeCard =
    member.user_id === self.user_id ||
    (roleRank[self.role] >= roleRank.admin && roleRank[self.role] > roleRank[member.role]);
  return {
    group_id: group.group_id,
    user_id: member.user_id,
    nickname: member.nickname,
    card: member.card,
    sex: 'unknown',
    age: 0,
    area: '',
    join_time: member.join_time,
    last_sent_time: member.last_sent_time,
    level: '1',
    role: member.role,
    unfriendly: false,
    title: member.title,
    title_expire_time: 0,
    card_changeable: canChangeCard,
    shut_up_timestamp: member.shut_up_until > now ? member.shut_up_until : 0,
  };
}

function honorInfo(state: SandboxState, group: Group, type: string): GroupHonorInfo {
  if (type !== 'all' && !(HONOR_TYPES as readonly string[]).includes(type)) {
    throw new OneBotError(
      'BAD_REQUEST',
      `param "type" must be one of ${[...HONOR_TYPES, 'all'].join(', ')}, got ${JSON.stringify(type)}`,
    );
  }
  const result: Record<string, unknown> = { group_id: group.group_id };
  const wanted = type === 'all' ? HONOR_TYPES : [type];
  for (const honor of wanted) result[`${honor}_list`] = [];
  if (wanted.includes('talkative')) {
    // The sandbox's "dragon king" is whoever sent most of the remembered messages.
    const counts = new Map<number, number>();
    for (const message of state.history.conversation(groupConversation(group.group_id))) {
      if (group.members.has(message.user_id))
        counts.set(message.user_id, (counts.get(message.user_id) ?? 0) + 1);
    }
    const ranked = [...counts].sort((a, b) => b[1] - a[1]);
    const top = ranked[0];
    if (top) {
      const member = group.members.get(top[0])!;
      result.current_talkative = {
        user_id: member.user_id,
        nickname: member.nickname,
        avatar: avatarOf(member.user_id),
        day_count: top[1],
      };
      result.talkative_list = ranked.slice(0, 10).map(([userId, count]) => ({
        user_id: userId,
        nickname: group.members.get(userId)!.nickname,
        avatar: avatarOf(userId),
        description: `${count} messages`,
      }));
    }
  }
  return result as GroupHonorInfo;
}

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

  register('get_group_info', (params) => groupInfo(world.requireGroup(requiredId(params, 'group_id'))));
  register('get_group_list', () => [...world.groups.values()].map(groupInfo));
  register('get_group_member_info', (params) => {
    const group = world.requireGroup(requiredId(params, 'group_id'));
    return memberInfo(state, group, world.requireMember(group, requiredId(params, 'user_id')));
  });
  register('get_group_member_list', (params) => {
    const group = world.requireGroup(requiredId(params, 'group_id'));
    return [...group.members.values()].map((member) => memberInfo(state, group, member));
  });
  register('get_group_honor_info', (params) =>
    honorInfo(
      state,
      world.requireGroup(requiredId(params, 'group_id')),
      optionalString(params, 'type', 'all'),
    ),
  );

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
