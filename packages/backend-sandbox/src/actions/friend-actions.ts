import { OneBotError } from '@onebot-gateway/core';
import { actionFailed } from '@onebot-gateway/core/internal';
import { noticeEvent } from '../events.js';
import { optionalBoolean, optionalInteger, optionalString, requiredId, requiredString } from '../params.js';
import type { PendingRequest } from '../requests.js';
import type { SandboxState } from '../state.js';
import { addMember } from '../world.js';
import type { RegisterAction } from './register.js';

/** The bot's account, its friends, likes, and answers to friend and group requests. */

/** Likes one account may give another per day (a non-SVIP account). */
export const DAILY_LIKE_LIMIT = 10;

function pendingRequest(state: SandboxState, flag: string, type: 'friend' | 'group'): PendingRequest {
  const request = state.requests.get(flag);
  if (!request || request.request_type !== type) {
    throw actionFailed(
      `no pending ${type} request with flag "${flag}": it was already answered, dropped (requestLimit ${state.config.requestLimit}), or never made`,
    );
  }
  return request;
}

function likeCountToday(state: SandboxState, userId: number): number {
  const day = Math.floor(state.nowSeconds() / 86400);
  if (state.likes.day !== day) {
    state.likes.day = day;
    state.likes.counts.clear();
  }
  return state.likes.counts.get(userId) ?? 0;
}

export function registerFriendActions(state: SandboxState, register: RegisterAction): void {
  const { world } = state;
  const selfId = world.selfId;

  register('get_login_info', () => ({ user_id: selfId, nickname: world.nickname }));

  register('get_friend_list', () =>
    [...world.friends.values()].map((friend) => ({
      user_id: friend.user_id,
      nickname: friend.nickname,
      remark: friend.remark,
    })),
  );

  register('get_stranger_info', (params) => {
    const userId = requiredId(params, 'user_id');
    const nickname = world.nicknameOf(userId);
    if (nickname === undefined) {
      throw actionFailed(
        `user ${userId} is unknown to the sandbox: not the bot, a friend, a group member or a recent requester`,
      );
    }
    return { user_id: userId, nickname, sex: 'unknown', age: 0, qid: '', level: 1, login_days: 0 };
  });

  register('send_like', (params) => {
    const userId = requiredId(params, 'user_id');
    const times = optionalInteger(params, 'times', 1);
    if (times < 1 || times > DAILY_LIKE_LIMIT) {
      throw new OneBotError('BAD_REQUEST', `param "times" must be 1-${DAILY_LIKE_LIMIT}, got ${times}`);
    }
    if (userId === selfId) throw actionFailed('the bot cannot like its own profile');
    if (world.nicknameOf(userId) === undefined)
      throw actionFailed(`user ${userId} is unknown to the sandbox; like a friend or a group member`);
    const given = likeCountToday(state, userId);
    if (given + times > DAILY_LIKE_LIMIT) {
      throw actionFailed(
        `user ${userId} already got ${given} likes from the bot today; the daily limit is ${DAILY_LIKE_LIMIT}`,
      );
    }
    state.likes.counts.set(userId, given + times);
    return null;
  });

  register('set_friend_add_request', (params) => {
    const request = pendingRequest(state, requiredString(params, 'flag'), 'friend');
    state.requests.take(request.flag);
    if (!optionalBoolean(params, 'approve', true) || world.friends.has(request.user_id)) return null;
    const nickname = world.nicknameOf(request.user_id) ?? `User ${request.user_id}`;
    world.friends.set(request.user_id, {
      user_id: request.user_id,
      nickname,
      remark: optionalString(params, 'remark', ''),
    });
    state.publish(noticeEvent(state, 'friend_add', { user_id: request.user_id }));
    return null;
  });

  register('set_group_add_request', (params) => {
    const request = pendingRequest(state, requiredString(params, 'flag'), 'group');
    const subType = optionalString(params, 'sub_type', '') || optionalString(params, 'type', '');
    if (subType !== '' && subType !== request.sub_type) {
      throw actionFailed(
        `request "${request.flag}" is a group "${request.sub_type}" request, not "${subType}"`,
      );
    }
    const approve = optionalBoolean(params, 'approve', true);
    const groupId = request.group_id!;
    const nickname = world.nicknameOf(request.user_id) ?? `User ${request.user_id}`;
    const now = state.nowSeconds();

    if (request.sub_type === 'add') {
      const group = world.requireGroup(groupId);
      world.requireBotRole(group, 'admin', 'set_group_add_request');
      state.requests.take(request.flag);
      if (!approve || group.members.has(request.user_id)) return null;
      addMember(group, request.user_id, nickname, 'member', now);
      state.publish(
        noticeEvent(state, 'group_increase', {
          sub_type: 'approve',
          group_id: groupId,
          operator_id: selfId,
          user_id: request.user_id,
        }),
      );
      return null;
    }

    state.requests.take(request.flag);
    if (!approve || world.groups.has(groupId)) return null;
    // The group the bot is invited to enters the world, owned by the inviter.
    const group = world.addGroup(groupId, `Group ${groupId}`, now);
    addMember(group, request.user_id, nickname, 'owner', now);
    state.publish(
      noticeEvent(state, 'group_increase', {
        sub_type: 'invite',
        group_id: groupId,
        operator_id: request.user_id,
        user_id: selfId,
      }),
    );
    return null;
  });
}
