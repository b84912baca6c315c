import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actionFailed } from '../errors.js';
import type { OneBotEvent } from '../types/events.js';
import { createActionRouter, type ActionRouter } from './action-router.js';
import { DEFAULT_QUICK_BAN_DURATION, quickOperationToActions } from './quick-operation.js';

const base = { time: 1700000000, self_id: 10001 };

const privateMessage: OneBotEvent = {
  ...base,
  post_type: 'message',
  message_type: 'private',
  sub_type: 'friend',
  message_id: 11,
  user_id: 20002,
  message: [{ type: 'text', data: { text: 'hi' } }],
  raw_message: 'hi',
  font: 0,
  sender: { user_id: 20002, nickname: 'Alice' },
};

const groupMessage: OneBotEvent = {
  ...privateMessage,
  message_type: 'group',
  sub_type: 'normal',
  message_id: 12,
  group_id: 30003,
  anonymous: null,
};

const anonymousInfo = { id: 555, name: '匿名', flag: 'anon-flag' };
const anonymousMessage: OneBotEvent = {
  ...groupMessage,
  sub_type: 'anonymous',
  user_id: 80000000,
  anonymous: anonymousInfo,
};

const friendRequest: OneBotEvent = {
  ...base,
  post_type: 'request',
  request_type: 'friend',
  user_id: 20002,
  comment: 'hi',
  flag: 'f-1',
};
const groupRequest: OneBotEvent = {
  ...base,
  post_type: 'request',
  request_type: 'group',
  sub_type: 'add',
  group_id: 30003,
  user_id: 20002,
  comment: 'let me in',
  flag: 'g-1',
};

let router: ActionRouter;
let calls: Array<{ action: string; params: Record<string, unknown> }>;

beforeEach(() => {
  calls = [];
  router = createActionRouter();
  for (const action of [
    'send_private_msg',
    'send_group_msg',
    'delete_msg',
    'set_group_kick',
    'set_group_ban',
    'set_group_anonymous_ban',
    'set_friend_add_request',
    'set_group_add_request',
  ]) {
    router.register(action, (params) => {
      calls.push({ action, params });
      return null;
    });
  }
});

afterEach(() => router.dispose());

function quick(context: unknown, operation: unknown, echo?: unknown) {
  const request: Record<string, unknown> = {
    action: '.handle_quick_operation',
    params: { context, operation },
  };
  if (echo !== undefined) request.echo = echo;
  return router.handle(request);
}

const text = (t: string) => ({ type: 'text', data: { text: t } });

describe('.handle_quick_operation: private message', () => {
  it('replies to the sender', async () => {
    expect(await quick(privateMessage, { reply: 'hello' }, 'q')).toEqual({
      status: 'ok',
      retcode: 0,
      data: null,
      message: '',
      wording: '',
      echo: 'q',
    });
    expect(calls).toEqual([
      {
        action: 'send_private_msg',
        params: { user_id: 20002, message: [text('hello')], auto_escape: false },
      },
    ]);
  });

  it('parses CQ codes in a string reply unless auto_escape is set', async () => {
    await quick(privateMessage, { reply: 'hi [CQ:face,id=1]' });
    await quick(privateMessage, { reply: 'hi [CQ:face,id=1]', auto_escape: true });
    expect(calls[0]!.params.message).toEqual([text('hi '), { type: 'face', data: { id: '1' } }]);
    expect(calls[1]!.params.message).toEqual([text('hi [CQ:face,id=1]')]);
  });

  it('accepts a segment array reply', async () => {
    await quick(privateMessage, { reply: [text('a'), { type: 'face', data: { id: 2 } }] });
    expect(calls[0]!.params.message).toEqual([text('a'), { type: 'face', data: { id: 2 } }]);
  });

  it('ignores the group-only fields', async () => {
    expect(
      (await quick(privateMessage, { delete: true, kick: true, ban: true, at_sender: true, reply: 'x' }))
        .retcode,
    ).toBe(0);
    expect(calls.map((c) => c.action)).toEqual(['send_private_msg']);
    expect(calls[0]!.params.message).toEqual([text('x')]);
  });

  it('answers a temporary session through its group', async () => {
    const temp = {
      ...privateMessage,
      sub_type: 'group',
      sender: { user_id: 20002, nickname: 'A', group_id: 30003 },
    };
    await quick(temp, { reply: 'x' });
    expect(calls[0]!.params).toMatchObject({ user_id: 20002, group_id: 30003 });
  });
});

describe('.handle_quick_operation: group message', () => {
  it('replies in the group without mentioning the sender by default', async () => {
    await quick(groupMessage, { reply: 'pong' });
    expect(calls).toEqual([
      { action: 'send_group_msg', params: { group_id: 30003, message: [text('pong')], auto_escape: false } },
    ]);
  });

  it('mentions the sender first with at_sender', async () => {
    await quick(groupMessage, { reply: 'pong', at_sender: true });
    expect(calls[0]!.params.message).toEqual([
      { type: 'at', data: { qq: '20002' } },
      text(' '),
      text('pong'),
    ]);
  });

  it('never mentions an anonymous sender', async () => {
    await quick(anonymousMessage, { reply: 'pong', at_sender: true });
    expect(calls[0]!.params.message).toEqual([text('pong')]);
  });

  it('recalls the message with delete', async () => {
    await quick(groupMessage, { delete: true });
    expect(calls).toEqual([{ action: 'delete_msg', params: { message_id: 12 } }]);
  });

  it('kicks the sender with kick, but not an anonymous one', async () => {
    await quick(groupMessage, { kick: true });
    expect(calls).toEqual([
      { action: 'set_group_kick', params: { group_id: 30003, user_id: 20002, reject_add_request: false } },
    ]);
    calls.length = 0;
    await quick(anonymousMessage, { kick: true });
    expect(calls).toEqual([]);
  });

  it(`bans for ${DEFAULT_QUICK_BAN_DURATION} s by default and for ban_duration when given`, async () => {
    await quick(groupMessage, { ban: true });
    await quick(groupMessage, { ban: true, ban_duration: 60 });
    await quick(groupMessage, { ban: 'yes', ban_duration: '120' });
    expect(calls.map((c) => c.params.duration)).toEqual([1800, 60, 120]);
    expect(calls[0]).toEqual({
      action: 'set_group_ban',
      params: { group_id: 30003, user_id: 20002, duration: 1800 },
    });
  });

  it('bans an anonymous sender through set_group_anonymous_ban', async () => {
    await quick(anonymousMessage, { ban: true, ban_duration: 600 });
    expect(calls).toEqual([
      {
        action: 'set_group_anonymous_ban',
        params: { group_id: 30003, anonymous: anonymousInfo, anonymous_flag: 'anon-flag', duration: 600 },
      },
    ]);
  });

  it('does everything asked, in order: reply, delete, kick, ban', async () => {
    await quick(groupMessage, { reply: 'bye', delete: true, kick: true, ban: true });
    expect(calls.map((c) => c.action)).toEqual([
      'send_group_msg',
      'delete_msg',
      'set_group_kick',
      'set_group_ban',
    ]);
  });

  it('does nothing for false flags, an empty reply or an empty operation', async () => {
    for (const operation of [{}, { reply: '' }, { reply: [] }, { delete: false, kick: 'no', ban: 0 }]) {
      expect((await quick(groupMessage, operation)).retcode).toBe(0);
    }
    expect(calls).toEqual([]);
  });

  it('refuses an unreadable ban_duration with 1400', async () => {
    const response = await quick(groupMessage, { ban: true, ban_duration: 'soon' });
    expect(response).toMatchObject({ retcode: 1400, message: expect.stringContaining('ban_duration') });
    expect(calls).toEqual([]);
  });
});

describe('.handle_quick_operation: requests', () => {
  it('approves a friend request with a remark', async () => {
    await quick(friendRequest, { approve: true, remark: 'from the forum' });
    expect(calls).toEqual([
      { action: 'set_friend_add_request', params: { flag: 'f-1', approve: true, remark: 'from the forum' } },
    ]);
  });

  it('rejects a group request with a reason, passing sub_type in both spellings', async () => {
    await quick(groupRequest, { approve: false, reason: 'no bots' });
    expect(calls).toEqual([
      {
        action: 'set_group_add_request',
        params: { flag: 'g-1', sub_type: 'add', type: 'add', approve: false, reason: 'no bots' },
      },
    ]);
  });

  it('does nothing without approve, and refuses an unreadable approve', async () => {
    expect((await quick(friendRequest, { remark: 'x' })).retcode).toBe(0);
    expect(calls).toEqual([]);
    expect(await quick(friendRequest, { approve: 'perhaps' })).toMatchObject({ retcode: 1400 });
  });
});

describe('.handle_quick_operation: what does nothing', () => {
  it.each([
    ['a string', 'reply'],
    ['an array', [{ reply: 'x' }]],
    ['null', null],
    ['a number', 1],
    ['absent', undefined],
  ])('an operation that is %s means "nothing to do", silently', async (_what, operation) => {
    expect(await quick(groupMessage, operation)).toMatchObject({ status: 'ok', retcode: 0 });
    expect(calls).toEqual([]);
  });

  it('ignores operations on notices, meta events and self messages', async () => {
    const notice = {
      ...base,
      post_type: 'notice',
      notice_type: 'group_recall',
      group_id: 1,
      user_id: 2,
      operator_id: 2,
      message_id: 3,
    };
    const meta = { ...base, post_type: 'meta_event', meta_event_type: 'heartbeat', interval: 1, status: {} };
    const self = { ...groupMessage, post_type: 'message_sent' };
    for (const context of [notice, meta, self])
      expect((await quick(context, { reply: 'x', approve: true })).retcode).toBe(0);
    expect(calls).toEqual([]);
  });

  it('answers 1400 when the context is not an event object', async () => {
    for (const context of [undefined, 'event', [groupMessage]]) {
      const response = await quick(context, { reply: 'x' });
      expect(response.retcode).toBe(1400);
      expect(response.message).toMatch(/"context"/);
    }
  });
});

describe('.handle_quick_operation: failures', () => {
  it('still runs the rest when one action fails, and reports every failure', async () => {
    router.register('send_group_msg', () => {
      throw actionFailed('the bot is muted in this group');
    });
    router.register('delete_msg', () => {
      throw actionFailed('message too old');
    });
    const response = await quick(groupMessage, { reply: 'x', delete: true, ban: true });
    expect(response.retcode).toBe(100);
    expect(response.message).toBe(
      'quick operation: send_group_msg failed (100): the bot is muted in this group; delete_msg failed (100): message too old',
    );
    expect(calls.map((c) => c.action)).toEqual(['set_group_ban']);
  });

  it('reports 1404 when the backend lacks the action the operation needs', async () => {
    const bare = createActionRouter();
    const response = await bare.handle({
      action: '.handle_quick_operation',
      params: { context: groupMessage, operation: { kick: true } },
    });
    expect(response).toMatchObject({ retcode: 1404, message: expect.stringContaining('set_group_kick') });
    bare.dispose();
  });

  it('coerces the event ids the operation uses (string ids from a string-typed backend)', async () => {
    await quick({ ...groupMessage, group_id: '30003', user_id: '20002' }, { ban: true });
    expect(calls[0]!.params).toMatchObject({ group_id: 30003, user_id: 20002 });
  });

  it('works with the _async suffix', async () => {
    const response = await router.handle({
      action: '.handle_quick_operation_async',
      params: { context: groupMessage, operation: { delete: true } },
    });
    expect(response).toMatchObject({ status: 'async', retcode: 1 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls.map((c) => c.action)).toEqual(['delete_msg']);
  });
});

describe('quickOperationToActions (pure)', () => {
  it('returns the calls without running them', () => {
    expect(quickOperationToActions(groupMessage, { reply: 'x', at_sender: 1 })).toEqual([
      {
        action: 'send_group_msg',
        params: {
          group_id: 30003,
          message: [{ type: 'at', data: { qq: '20002' } }, text(' '), text('x')],
          auto_escape: false,
        },
      },
    ]);
  });

  it('reads boolean words the way parameter coercion does', () => {
    for (const word of ['true', 'TRUE', '1', 'yes', 'on', 1, true]) {
      expect(quickOperationToActions(groupMessage, { delete: word }), String(word)).toHaveLength(1);
    }
    for (const word of ['false', '0', 'no', 'off', '', 0, false, 'maybe']) {
      expect(quickOperationToActions(groupMessage, { delete: word }), String(word)).toHaveLength(0);
    }
  });
});
