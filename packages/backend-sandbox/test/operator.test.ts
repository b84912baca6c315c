import { createAdapterContext, type OneBotEvent } from '@onebot-gateway/core';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { ALICE, BOB, CAROL, GROUP, SELF, createHarness, text, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h?.dispose();
});

describe('simulateMessage', () => {
  it('publishes a friend message event with the full OneBot shape', async () => {
    h = await createHarness();
    const { message_id, event } = h.backend.simulateMessage({
      message_type: 'private',
      user_id: ALICE,
      message: text('hi bot'),
    });
    expect(event).toEqual({
      time: expect.any(Number),
      self_id: SELF,
      post_type: 'message',
      message_type: 'private',
      sub_type: 'friend',
      message_id,
      message_seq: message_id,
      real_id: message_id,
      user_id: ALICE,
      message: text('hi bot'),
      raw_message: 'hi bot',
      font: 0,
      sender: { user_id: ALICE, nickname: 'Alice', sex: 'unknown', age: 0 },
    });
    // The bus adds message_format for the subscriber's format.
    expect(h.take()).toEqual([{ ...event, message_format: 'array' }]);
    expect(h.eventsWithoutSelf).toEqual([{ ...event, message_format: 'array' }]);
  });

  it('serves the same message to a string-format subscriber as its raw_message', async () => {
    h = await createHarness();
    const context = createAdapterContext(
      { router: h.router, bus: h.bus, selfId: () => SELF },
      'string-adapter',
    );
    const seen: OneBotEvent[] = [];
    const unsubscribe = context.subscribe({ format: 'string', reportSelfMessage: true }, (delivered) =>
      seen.push(JSON.parse(delivered.json)),
    );
    const { event } = h.backend.simulateMessage({
      message_type: 'group',
      group_id: GROUP,
      user_id: BOB,
      message: 'plain words',
    });
    await context.callAction({ action: 'send_group_msg', params: { group_id: GROUP, message: 'reply' } });
    unsubscribe();
    expect(seen.map((e) => [e.post_type, e.message, e.message_format])).toEqual([
      ['message', event.raw_message, 'string'],
      ['message_sent', 'reply', 'string'],
    ]);
  });

  it('uses member details for group messages and applies sender overrides', async () => {
    h = await createHarness();
    const { event } = h.backend.simulateMessage({
      message_type: 'group',
      group_id: GROUP,
      user_id: CAROL,
      message: 'x',
      sender: { nickname: 'Caz', user_id: 1 },
    });
    expect(event).toMatchObject({
      message_type: 'group',
      sub_type: 'normal',
      group_id: GROUP,
      user_id: CAROL,
      anonymous: null,
    });
    expect(event.sender).toMatchObject({
      user_id: CAROL,
      nickname: 'Caz',
      card: 'Carol (not a friend)',
      role: 'member',
    });
    expect(await h.ok('get_group_member_info', { group_id: GROUP, user_id: CAROL })).toMatchObject({
      last_sent_time: event.time,
    });
  });

  it('sends a temporary-session message from a non-friend member through a group', async () => {
    h = await createHarness();
    const { event } = h.backend.simulateMessage({
      message_type: 'private',
      user_id: CAROL,
      group_id: GROUP,
      message: 'psst',
    });
    expect(event).toMatchObject({
      message_type: 'private',
      sub_type: 'group',
      user_id: CAROL,
      temp_source: 0,
    });
    expect(event).not.toHaveProperty('group_id');
  });

  it('refuses what does not fit the world, publishing nothing', async () => {
    h = await createHarness();
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ message_type: 'private', user_id: CAROL, message: 'x' }, /not a friend/],
      [{ message_type: 'private', user_id: 31337, group_id: GROUP, message: 'x' }, /not a member/],
      [{ message_type: 'group', user_id: ALICE, message: 'x' }, /group_id/],
      [{ message_type: 'group', group_id: 99, user_id: ALICE, message: 'x' }, /group 99 not found/],
      [
        { message_type: 'group', group_id: GROUP, user_id: 31337, message: 'x' },
        /user 31337 is not a member/,
      ],
      [{ message_type: 'group', group_id: GROUP, user_id: SELF, message: 'x' }, /bot itself/],
      [{ message_type: 'channel', user_id: ALICE, message: 'x' }, /message_type/],
      [{ message_type: 'private', user_id: ALICE }, /"message" is required/],
      [{ message_type: 'private', user_id: ALICE, message: [] }, /empty/],
      [{ message_type: 'private', user_id: ALICE, message: 42 }, /CQ string/],
      [{ message_type: 'private', user_id: ALICE, message: 'x', sender: 'Alice' }, /sender/],
      [{ message_type: 'private', user_id: -3, message: 'x' }, /QQ number/],
    ];
    for (const [input, reason] of cases) {
      expect(() => h.backend.simulateMessage(input as never), JSON.stringify(input)).toThrow(
        expect.objectContaining({ code: 'BAD_REQUEST', message: expect.stringMatching(reason) }),
      );
    }
    expect(() => h.backend.simulateMessage(null as never)).toThrow(/must be an object/);
    expect(h.events).toEqual([]);
    expect(h.backend.snapshot().history.messages).toBe(0);
  });
});

describe('conversation', () => {
  it('refuses unknown targets and bad limits', async () => {
    h = await createHarness();
    expect(h.backend.conversation({ message_type: 'private', user_id: CAROL })).toEqual([]);
    expect(() => h.backend.conversation({ message_type: 'group', group_id: 5 })).toThrow(/group 5 not found/);
    expect(() => h.backend.conversation({ message_type: 'private', user_id: 31337 })).toThrow(/unknown/);
    expect(() => h.backend.conversation({ message_type: 'group' })).toThrow(/group_id/);
    expect(() => h.backend.conversation({ message_type: 'group', group_id: GROUP, limit: 0 })).toThrow(
      /limit/,
    );
  });

  it('returns copies: mutating them does not change the history', async () => {
    h = await createHarness();
    h.backend.simulateMessage({ message_type: 'private', user_id: ALICE, message: text('original') });
    const [first] = h.backend.conversation({ message_type: 'private', user_id: ALICE });
    first!.message[0]!.data.text = 'changed';
    expect(h.backend.conversation({ message_type: 'private', user_id: ALICE })[0]!.message).toEqual(
      text('original'),
    );
  });
});

describe('simulateGroupDecrease and simulateRecall', () => {
  it('lets a member leave, an admin kick, and the owner kick the bot (kick_me)', async () => {
    h = await createHarness({
      groups: [
        {
          group_id: 30001,
          members: [
            { user_id: 40001, role: 'owner' },
            { user_id: 40002, role: 'admin' },
            { user_id: 40003 },
            { user_id: 40004 },
          ],
        },
      ],
    });
    expect(h.backend.simulateGroupDecrease({ group_id: 30001, user_id: 40003 }).event).toMatchObject({
      notice_type: 'group_decrease',
      sub_type: 'leave',
      user_id: 40003,
      operator_id: 40003,
    });
    expect(
      h.backend.simulateGroupDecrease({ group_id: 30001, user_id: 40004, operator_id: 40002 }).event,
    ).toMatchObject({ sub_type: 'kick', operator_id: 40002 });
    expect(() =>
      h.backend.simulateGroupDecrease({ group_id: 30001, user_id: 40002, operator_id: 40003 }),
    ).toThrow(/not a member/);
    expect(() =>
      h.backend.simulateGroupDecrease({ group_id: 30001, user_id: 40001, operator_id: 40002 }),
    ).toThrow(/may not kick/);
    expect(() => h.backend.simulateGroupDecrease({ group_id: 30001, user_id: SELF })).toThrow(
      /set_group_leave/,
    );
    h.backend.simulateMessage({ message_type: 'group', group_id: 30001, user_id: 40002, message: 'bye bot' });
    expect(
      h.backend.simulateGroupDecrease({ group_id: 30001, user_id: SELF, operator_id: 40001 }).event,
    ).toMatchObject({
      sub_type: 'kick_me',
      user_id: SELF,
      operator_id: 40001,
    });
    expect(await h.ok('get_group_list')).toEqual([]);
    expect(h.backend.snapshot().history.messages).toBe(0);
  });

  it('recalls a member message (group_recall) or a friend message (friend_recall)', async () => {
    h = await createHarness();
    const group = h.backend.simulateMessage({
      message_type: 'group',
      group_id: GROUP,
      user_id: BOB,
      message: 'oops',
    });
    expect(h.backend.simulateRecall({ message_id: group.message_id }).event).toMatchObject({
      notice_type: 'group_recall',
      group_id: GROUP,
      user_id: BOB,
      operator_id: BOB,
      message_id: group.message_id,
    });
    const byAdmin = h.backend.simulateMessage({
      message_type: 'group',
      group_id: GROUP,
      user_id: BOB,
      message: 'spam',
    });
    expect(
      h.backend.simulateRecall({ message_id: byAdmin.message_id, operator_id: ALICE }).event,
    ).toMatchObject({ operator_id: ALICE });
    const aliceMessage = h.backend.simulateMessage({
      message_type: 'group',
      group_id: GROUP,
      user_id: ALICE,
      message: 'admin talk',
    });
    expect(() => h.backend.simulateRecall({ message_id: aliceMessage.message_id, operator_id: BOB })).toThrow(
      /may not recall/,
    );

    const friend = h.backend.simulateMessage({ message_type: 'private', user_id: ALICE, message: 'typo' });
    expect(h.backend.simulateRecall({ message_id: friend.message_id }).event).toMatchObject({
      notice_type: 'friend_recall',
      user_id: ALICE,
    });
    const mine = await h.ok<{ message_id: number }>('send_private_msg', { user_id: ALICE, message: 'mine' });
    expect(() => h.backend.simulateRecall({ message_id: mine.message_id })).toThrow(/bot's own/);
    expect(() => h.backend.simulateRecall({ message_id: group.message_id })).toThrow(/not found/);
    expect((await h.call('get_msg', { message_id: friend.message_id })).retcode).toBe(100);
  });
});

describe('robustness', () => {
  it('never answers 1500 or throws, whatever the params, and the world stays consistent', async () => {
    h = await createHarness({ historyLimit: 5, requestLimit: 3 });
    const actions = h.backend.actions();
    const junk = fc.oneof(
      fc.constant(undefined),
      fc.constant(null),
      fc.boolean(),
      fc.integer({ min: -5, max: 5 }),
      fc.constantFrom(SELF, ALICE, BOB, CAROL, GROUP, 99999, 1),
      fc.string({ maxLength: 8 }),
      fc.constantFrom('10001', '20001', 'abc', '', 'true', '[CQ:face,id=1]'),
      fc.constant([]),
      fc.constant([{ type: 'node', data: { content: 'x' } }]),
      fc.constant([{ type: 'text' }]),
      fc.constant({ type: 'text', data: { text: 'hi' } }),
      fc.constant({ flag: 'x' }),
    );
    const params = fc.record(
      {
        group_id: junk,
        user_id: junk,
        message_id: junk,
        message: junk,
        messages: junk,
        message_type: fc.oneof(junk, fc.constantFrom('group', 'private')),
        flag: junk,
        duration: junk,
        enable: junk,
        approve: junk,
        card: junk,
        id: junk,
        count: junk,
        type: junk,
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...actions), params, async (action, input) => {
        const response = await h.call(action, input as Record<string, unknown>);
        expect([0, 100, 1400], `${action} ${JSON.stringify(input)} -> ${response.message}`).toContain(
          response.retcode,
        );
      }),
      { numRuns: 600 },
    );
    const snapshot = h.backend.snapshot();
    for (const size of Object.values(snapshot.history.conversations)) expect(size).toBeLessThanOrEqual(5);
    expect(snapshot.requests.length).toBeLessThanOrEqual(3);
    for (const group of snapshot.groups) {
      expect(group.members.filter((m) => m.role === 'owner').length).toBeLessThanOrEqual(1);
      expect(group.members.some((m) => m.user_id === SELF)).toBe(true);
    }
  });

  it('keeps memory bounded under a flood of messages and requests', async () => {
    h = await createHarness({ historyLimit: 20, requestLimit: 10 });
    for (let i = 0; i < 3000; i += 1) {
      h.backend.simulateMessage({ message_type: 'group', group_id: GROUP, user_id: BOB, message: `m${i}` });
      await h.call('send_private_forward_msg', {
        user_id: ALICE,
        messages: [{ type: 'node', data: { name: 'n', uin: 1, content: `f${i}` } }],
      });
      h.backend.simulateRequest({ request_type: 'friend', user_id: 700000 + i });
    }
    const snapshot = h.backend.snapshot();
    expect(snapshot.history).toEqual({
      messages: 40,
      forwards: 20,
      conversations: { [`group:${GROUP}`]: 20, [`private:${ALICE}`]: 20 },
    });
    expect(snapshot.requests).toHaveLength(10);
    h.events.length = 0;
    h.eventsWithoutSelf.length = 0;
  });
});
