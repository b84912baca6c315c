import { type EssenceMessage, type GroupSystemRequest } from '@onebot-gateway/core';
import { actionFailed } from '@onebot-gateway/core/internal';
import { noticeEvent } from '../events.js';
import { optionalBoolean, optionalId, requiredId, requiredString } from '../params.js';
import type { SandboxState } from '../state.js';
import type { Group } from '../world.js';
import type { RegisterAction } from './register.js';

/**
 * Extensions beyond the brief's list that NapCat / go-cqhttp clients call
 * often and that a simulated account can answer honestly from its world:
 * pokes, essence messages, friend edits, the group system inbox, profile.
 */

/** @all allowances a QQ admin gets per day. */
const AT_ALL_PER_DAY = 10;

function requireStoredGroupMessage(
  state: SandboxState,
  messageId: number,
): { group: Group; senderId: number } {
  const message = state.history.get(messageId);
  if (!message)
    throw actionFailed(
      `message ${messageId} not found: it was recalled, dropped from history or never existed`,
    );
  if (message.message_type !== 'group')
    throw actionFailed(`message ${messageId} is a private message; essence messages exist only in groups`);
  return { group: state.world.requireGroup(message.group_id!), senderId: message.user_id };
}

export function registerExtraActions(state: SandboxState, register: RegisterAction): void {
  const { world, history } = state;
  const selfId = world.selfId;
  const essence = new Map<number, Map<number, { operatorId: number; time: number }>>();

  function poke(targetId: number, groupId: number | undefined): null {
    if (groupId !== undefined) {
      const group = world.requireGroup(groupId);
      world.requireMember(group, targetId);
      state.publish(
        noticeEvent(state, 'notify', {
          sub_type: 'poke',
          group_id: groupId,
          user_id: selfId,
          target_id: targetId,
        }),
      );
      return null;
    }
    world.requireFriend(targetId);
    state.publish(
      noticeEvent(state, 'notify', {
        sub_type: 'poke',
        user_id: selfId,
        sender_id: selfId,
        target_id: targetId,
      }),
    );
    return null;
  }
  register('friend_poke', (params) => poke(requiredId(params, 'user_id'), undefined));
  register('group_poke', (params) => poke(requiredId(params, 'user_id'), requiredId(params, 'group_id')));
  register('send_poke', (params) => poke(requiredId(params, 'user_id'), optionalId(params, 'group_id')));

  register('delete_friend', (params) => {
    const friend = world.requireFriend(requiredId(params, 'user_id'));
    world.friends.delete(friend.user_id);
    world.rememberUser(friend.user_id, friend.nickname);
    return null;
  });
  register('set_friend_remark', (params) => {
    world.requireFriend(requiredId(params, 'user_id')).remark = requiredString(params, 'remark');
    return null;
  });
  register('set_input_status', (params) => {
    world.requireFriend(requiredId(params, 'user_id'));
    return null;
  });
  register('get_unidirectional_friend_list', () => []);
  register('get_online_clients', () => ({ clients: [] }));
  register('set_qq_profile', (params) => {
    const nickname = requiredString(params, 'nickname');
    world.nickname = nickname;
    for (const group of world.groups.values()) world.self(group).nickname = nickname;
    return null;
  });

  register('get_group_system_msg', () => {
    const view = (flag: string): GroupSystemRequest => {
      const request = state.requests.get(flag)!;
      const nickname = world.nicknameOf(request.user_id) ?? `User ${request.user_id}`;
      const groupName = world.groups.get(request.group_id!)?.group_name ?? `Group ${request.group_id}`;
      const who =
        request.sub_type === 'invite'
          ? { invitor_uin: request.user_id, invitor_nick: nickname }
          : { requester_uin: request.user_id, requester_nick: nickname };
      return {
        request_id: flag,
        ...who,
        group_id: request.group_id!,
        group_name: groupName,
        message: request.comment,
        checked: false,
        actor: 0,
      };
    };
    const pending = state.requests.list().filter((request) => request.request_type === 'group');
    return {
      invited_requests: pending
        .filter((request) => request.sub_type === 'invite')
        .map((request) => view(request.flag)),
      join_requests: pending
        .filter((request) => request.sub_type === 'add')
        .map((request) => view(request.flag)),
    };
  });

  register('get_group_at_all_remain', (params) => {
    const group = world.requireGroup(requiredId(params, 'group_id'));
    const canAtAll = world.self(group).role !== 'member';
    const remain = canAtAll ? AT_ALL_PER_DAY : 0;
    return {
      can_at_all: canAtAll,
      remain_at_all_count_for_group: remain,
      remain_at_all_count_for_uin: remain,
    };
  });

  register('set_msg_emoji_like', (params) => {
    const messageId = requiredId(params, 'message_id');
    if (!history.get(messageId))
      throw actionFailed(
        `message ${messageId} not found: it was recalled, dropped from history or never existed`,
      );
    requiredString(params, 'emoji_id');
    optionalBoolean(params, 'set', true);
    return null;
  });

  function setEssence(messageId: number, add: boolean): null {
    const { group, senderId } = requireStoredGroupMessage(state, messageId);
    world.requireBotRole(group, 'admin', add ? 'set_essence_msg' : 'delete_essence_msg');
    // Groups the bot has left keep no essence marks.
    for (const groupId of essence.keys()) if (!world.groups.has(groupId)) essence.delete(groupId);
    let marked = essence.get(group.group_id);
    if (!marked) essence.set(group.group_id, (marked = new Map()));
    // Forget essence marks on messages the history no longer holds: bounded like the history.
    for (const id of marked.keys()) if (!history.get(id)) marked.delete(id);
    if (add === marked.has(messageId)) return null;
    if (add) marked.set(messageId, { operatorId: selfId, time: state.nowSeconds() });
    else marked.delete(messageId);
    state.publish(
      noticeEvent(state, 'essence', {
        sub_type: add ? 'add' : 'delete',
        group_id: group.group_id,
        sender_id: senderId,
        operator_id: selfId,
        message_id: messageId,
      }),
    );
    return null;
  }
  register('set_essence_msg', (params) => setEssence(requiredId(params, 'message_id'), true));
  register('delete_essence_msg', (params) => setEssence(requiredId(params, 'message_id'), false));
  register('get_essence_msg_list', (params) => {
    const group = world.requireGroup(requiredId(params, 'group_id'));
    const list: EssenceMessage[] = [];
    for (const [messageId, mark] of essence.get(group.group_id) ?? []) {
      const message = history.get(messageId);
      if (!message) continue;
      list.push({
        sender_id: message.user_id,
        sender_nick: world.nicknameOf(message.user_id) ?? `User ${message.user_id}`,
        sender_time: message.time,
        operator_id: mark.operatorId,
        operator_nick: world.nicknameOf(mark.operatorId) ?? '',
        operator_time: mark.time,
        message_id: messageId,
        content: structuredClone(message.message),
      });
    }
    return list;
  });
}
