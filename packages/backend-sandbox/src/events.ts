import type { OneBotEvent } from '@onebot-gateway/core';
import type { SandboxState } from './state.js';
import type { Member } from './world.js';

/** Builders for the events the sandbox publishes; ids are integers, time in seconds. */
export function noticeEvent(
  state: SandboxState,
  noticeType: string,
  fields: Record<string, unknown>,
): OneBotEvent {
  return {
    time: state.nowSeconds(),
    self_id: state.world.selfId,
    post_type: 'notice',
    notice_type: noticeType,
    ...fields,
  };
}

export function requestEvent(
  state: SandboxState,
  requestType: string,
  fields: Record<string, unknown>,
): OneBotEvent {
  return {
    time: state.nowSeconds(),
    self_id: state.world.selfId,
    post_type: 'request',
    request_type: requestType,
    ...fields,
  };
}

/** `sender` of a group message, as OneBot 11 describes it. */
export function groupSender(member: Member): Record<string, unknown> & { user_id: number; nickname: string } {
  return {
    user_id: member.user_id,
    nickname: member.nickname,
    card: member.card,
    sex: 'unknown',
    age: 0,
    area: '',
    level: '1',
    role: member.role,
    title: member.title,
  };
}

export function privateSender(
  userId: number,
  nickname: string,
): Record<string, unknown> & { user_id: number; nickname: string } {
  return { user_id: userId, nickname, sex: 'unknown', age: 0 };
}
