import { OneBotError, type GroupHonorInfo, type GroupInfo, type GroupMemberInfo } from '@onebot-gateway/core';

import { groupConversation } from '../history.js';
import { optionalString, requiredId } from '../params.js';
import type { SandboxState } from '../state.js';
import { roleRank, type Group, type Member } from '../world.js';
import type { RegisterAction } from './register.js';

/** Reading about groups: info, members (with what the bot may change) and honours. */

const MAX_MEMBERS = 500;
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

export function registerGroupInfoActions(state: SandboxState, register: RegisterAction): void {
  const { world } = state;

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
}
