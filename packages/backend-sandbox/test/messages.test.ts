import { afterEach, describe, expect, it } from 'vitest';
import { ALICE, BOB, CAROL, GROUP, SELF, createHarness, text, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h?.dispose();
});

describe('sending messages', () => {
  it('gives increasing ids, stores the message and reports it only as message_sent', async () => {
    h = await createHarness();
    const first = await h.ok<{ message_id: number }>('send_group_msg', {
      group_id: GROUP,
      message: text('hello group'),
    });
    const second = await h.ok<{ message_id: number }>('send_private_msg', {
      user_id: String(ALICE),
      message: text('hi Alice'),
    });
    expect(second.message_id).toBeGreaterThan(first.message_id);

    const [groupEvent, privateEvent] = h.take();
    expect(groupEvent).toMatchObject({
      post_type: 'message_sent',
      message_type: 'group',
      sub_type: 'normal',
      message_id: first.message_id,
      group_id: GROUP,
      user_id: SELF,
      self_id: SELF,
      message: text('hello group'),
      raw_message: 'hello group',
      font: 0,
      anonymous: null,
      sender: { user_id: SELF, nickname: 'Sandbox Bot', role: 'owner' },
    });
    expect(privateEvent).toMatchObject({
      post_type: 'message_sent',
      message_type: 'private',
      sub_type: 'friend',
      user_id: SELF,
      target_id: ALICE,
    });
    expect(h.events.every((event) => event.post_type !== 'message')).toBe(true);
    expect(h.eventsWithoutSelf).toEqual([]);

    const stored = await h.ok('get_msg', { message_id: first.message_id });
    expect(stored).toMatchObject({
      message_id: first.message_id,
      message_type: 'group',
      group_id: GROUP,
      message: text('hello group'),
      sender: { user_id: SELF },
    });
  });

  it('parses CQ strings into segments, keeps raw_message as CQ, and honours auto_escape', async () => {
    h = await createHarness();
    await h.ok('send_group_msg', { group_id: GROUP, message: '[CQ:face,id=14] hi &#91;x&#93;' });
    await h.ok('send_group_msg', { group_id: GROUP, message: '[CQ:face,id=14]', auto_escape: true });
    const [parsed, escaped] = h.take();
    expect(parsed).toMatchObject({
      message: [
        { type: 'face', data: { id: '14' } },
        { type: 'text', data: { text: ' hi [x]' } },
      ],
      raw_message: '[CQ:face,id=14] hi &#91;x&#93;',
    });
    expect(escaped).toMatchObject({
      message: text('[CQ:face,id=14]'),
      raw_message: '&#91;CQ:face,id=14&#93;',
    });
  });

  it('send_msg picks the target from message_type, or from group_id / user_id', async () => {
    h = await createHarness();
    await h.ok('send_msg', { message_type: 'private', user_id: BOB, group_id: GROUP, message: 'x' });
    await h.ok('send_msg', { group_id: GROUP, message: 'y' });
    await h.ok('send_msg', { user_id: ALICE, message: 'z' });
    expect(h.take().map((event) => [event.message_type, event.group_id ?? event.target_id])).toEqual([
      ['private', BOB],
      ['group', GROUP],
      ['private', ALICE],
    ]);
    expect((await h.call('send_msg', { message: 'nowhere' })).retcode).toBe(1400);
    expect(
      (await h.call('send_msg', { message_type: 'channel', group_id: GROUP, message: 'x' })).retcode,
    ).toBe(1400);
  });

  it('refuses unknown targets and empty messages with reasons', async () => {
    h = await createHarness();
    const unknownGroup = await h.call('send_group_msg', { group_id: 99999, message: 'x' });
    expect(unknownGroup).toMatchObject({ status: 'failed', retcode: 100 });
    expect(unknownGroup.message).toContain('99999');
    const stranger = await h.call('send_private_msg', { user_id: 55555, message: 'x' });
    expect(stranger.retcode).toBe(100);
    expect(stranger.message).toContain('55555');
    expect((await h.call('send_private_msg', { user_id: SELF, message: 'x' })).retcode).toBe(100);
    expect((await h.call('send_group_msg', { group_id: GROUP, message: [] })).retcode).toBe(1400);
    expect((await h.call('send_group_msg', { group_id: GROUP, message: [{ data: {} }] })).retcode).toBe(1400);
    expect(h.events).toEqual([]);
  });

  it('opens a temporary session with a non-friend through a shared group', async () => {
    h = await createHarness();
    expect((await h.call('send_private_msg', { user_id: CAROL, message: 'x' })).message).toContain(
      'group_id',
    );
    const { message_id } = await h.ok<{ message_id: number }>('send_private_msg', {
      user_id: CAROL,
      group_id: GROUP,
      message: 'psst',
    });
    expect(h.take()).toEqual([
      expect.objectContaining({
        message_id,
        sub_type: 'group',
        target_id: CAROL,
        sender: expect.objectContaining({ group_id: GROUP }),
      }),
    ]);
    expect(
      h.backend.conversation({ message_type: 'private', user_id: CAROL }).map((m) => m.message_id),
    ).toEqual([message_id]);
  });

  it('does not let a muted bot speak', async () => {
    h = await createHarness({
      groups: [{ group_id: 30001, whole_ban: true, members: [{ user_id: 40001, role: 'owner' }] }],
    });
    const refused = await h.call('send_group_msg', { group_id: 30001, message: 'let me speak' });
    expect(refused.retcode).toBe(100);
    expect(refused.message).toContain('muted');
    // Admins are not bound by a whole-group mute.
    h.backend.simulateMessage({
      message_type: 'group',
      group_id: 30001,
      user_id: 40001,
      message: 'owner speaks',
    });
    expect(h.backend.conversation({ message_type: 'group', group_id: 30001 }).map((m) => m.user_id)).toEqual([
      40001,
    ]);
  });
});

describe('conversation order and history', () => {
  it('keeps both directions in order with ids, users and segments', async () => {
    h = await createHarness();
    const a = h.backend.simulateMessage({
      message_type: 'group',
      group_id: GROUP,
      user_id: ALICE,
      message: 'question?',
    });
    const b = await h.ok<{ message_id: number }>('send_group_msg', {
      group_id: GROUP,
      message: text('answer'),
    });
    const c = h.backend.simulateMessage({
      message_type: 'group',
      group_id: String(GROUP),
      user_id: String(BOB),
      message: text('thanks'),
    });
    const conversation = h.backend.conversation({ message_type: 'group', group_id: GROUP });
    expect(conversation.map((m) => [m.message_id, m.user_id])).toEqual([
      [a.message_id, ALICE],
      [b.message_id, SELF],
      [c.message_id, BOB],
    ]);
    expect(conversation[1]).toMatchObject({ message: text('answer'), raw_message: 'answer' });
    expect(typeof conversation[0]!.time).toBe('number');
    expect(
      h.backend.conversation({ message_type: 'group', group_id: GROUP, limit: 2 }).map((m) => m.message_id),
    ).toEqual([b.message_id, c.message_id]);

    const history = await h.ok<{ messages: Array<{ message_id: number }> }>('get_group_msg_history', {
      group_id: GROUP,
    });
    expect(history.messages.map((m) => m.message_id)).toEqual([a.message_id, b.message_id, c.message_id]);
    const upTo = await h.ok<{ messages: Array<{ message_id: number }> }>('get_group_msg_history', {
      group_id: GROUP,
      message_seq: b.message_id,
      count: 1,
    });
    expect(upTo.messages.map((m) => m.message_id)).toEqual([b.message_id]);
    const reversed = await h.ok<{ messages: Array<{ message_id: number }> }>('get_group_msg_history', {
      group_id: GROUP,
      reverse_order: true,
    });
    expect(reversed.messages.map((m) => m.message_id)).toEqual([c.message_id, b.message_id, a.message_id]);
    expect((await h.call('get_group_msg_history', { group_id: GROUP, message_seq: 424242 })).retcode).toBe(
      100,
    );
  });

  it('keeps private history per friend', async () => {
    h = await createHarness();
    h.backend.simulateMessage({ message_type: 'private', user_id: ALICE, message: 'hi bot' });
    await h.ok('send_private_msg', { user_id: ALICE, message: 'hi Alice' });
    await h.ok('send_private_msg', { user_id: BOB, message: 'hi Bob' });
    const history = await h.ok<{ messages: Array<{ raw_message: string; post_type: string }> }>(
      'get_friend_msg_history',
      { user_id: ALICE },
    );
    expect(history.messages.map((m) => [m.post_type, m.raw_message])).toEqual([
      ['message', 'hi bot'],
      ['message_sent', 'hi Alice'],
    ]);
    expect((await h.call('get_friend_msg_history', { user_id: 77777 })).retcode).toBe(100);
  });

  it('forgets the oldest messages beyond historyLimit, everywhere', async () => {
    h = await createHarness({ historyLimit: 3 });
    const ids: number[] = [];
    for (let i = 0; i < 5; i += 1)
      ids.push(
        (await h.ok<{ message_id: number }>('send_group_msg', { group_id: GROUP, message: `m${i}` }))
          .message_id,
      );
    await h.ok('send_private_msg', { user_id: ALICE, message: 'other conversation' });
    expect(
      h.backend.conversation({ message_type: 'group', group_id: GROUP }).map((m) => m.message_id),
    ).toEqual(ids.slice(2));
    const gone = await h.call('get_msg', { message_id: ids[0] });
    expect(gone.retcode).toBe(100);
    expect(gone.message).toContain('historyLimit 3');
    expect(h.backend.snapshot().history).toMatchObject({
      messages: 4,
      conversations: { [`group:${GROUP}`]: 3, [`private:${ALICE}`]: 1 },
    });
  });
});

describe('recalling', () => {
  it('recalls its own group message with a group_recall notice', async () => {
    h = await createHarness();
    const { message_id } = await h.ok<{ message_id: number }>('send_group_msg', {
      group_id: GROUP,
      message: 'oops',
    });
    h.take();
    await h.ok('delete_msg', { message_id });
    expect(h.take()).toEqual([
      expect.objectContaining({
        post_type: 'notice',
        notice_type: 'group_recall',
        group_id: GROUP,
        user_id: SELF,
        operator_id: SELF,
        message_id,
      }),
    ]);
    expect((await h.call('get_msg', { message_id })).retcode).toBe(100);
    expect((await h.call('delete_msg', { message_id })).retcode).toBe(100);
    expect(h.backend.conversation({ message_type: 'group', group_id: GROUP })).toEqual([]);
  });

  it("recalls a member's message as owner, but a private message only when it is the bot's", async () => {
    h = await createHarness();
    const fromBob = h.backend.simulateMessage({
      message_type: 'group',
      group_id: GROUP,
      user_id: BOB,
      message: 'spam',
    });
    await h.ok('delete_msg', { message_id: fromBob.message_id });
    const fromAlice = h.backend.simulateMessage({
      message_type: 'private',
      user_id: ALICE,
      message: 'private',
    });
    const refused = await h.call('delete_msg', { message_id: fromAlice.message_id });
    expect(refused.retcode).toBe(100);
    const mine = await h.ok<{ message_id: number }>('send_private_msg', { user_id: ALICE, message: 'mine' });
    h.take();
    await h.ok('delete_msg', { message_id: mine.message_id });
    expect(h.take()).toEqual([
      expect.objectContaining({ notice_type: 'friend_recall', user_id: ALICE, message_id: mine.message_id }),
    ]);
  });

  it("refuses to recall an admin's message when the bot is only an admin", async () => {
    h = await createHarness({
      groups: [
        {
          group_id: 30001,
          members: [
            { user_id: SELF, role: 'admin' },
            { user_id: 40001, role: 'owner' },
            { user_id: 40002, role: 'admin' },
            { user_id: 40003 },
          ],
        },
      ],
    });
    const fromAdmin = h.backend.simulateMessage({
      message_type: 'group',
      group_id: 30001,
      user_id: 40002,
      message: 'x',
    });
    const fromMember = h.backend.simulateMessage({
      message_type: 'group',
      group_id: 30001,
      user_id: 40003,
      message: 'y',
    });
    expect((await h.call('delete_msg', { message_id: fromAdmin.message_id })).retcode).toBe(100);
    await h.ok('delete_msg', { message_id: fromMember.message_id });
  });
});

describe('forward messages', () => {
  it('stores custom and quoted nodes and returns them with get_forward_msg', async () => {
    h = await createHarness();
    const quoted = h.backend.simulateMessage({
      message_type: 'group',
      group_id: GROUP,
      user_id: ALICE,
      message: 'original',
    });
    const sent = await h.ok<{ message_id: number; forward_id: string; res_id: string }>(
      'send_group_forward_msg',
      {
        group_id: GROUP,
        messages: [
          { type: 'node', data: { id: String(quoted.message_id) } },
          { type: 'node', data: { name: 'Someone', uin: '12345', content: 'custom text' } },
          {
            type: 'node',
            data: {
              nickname: 'Nested',
              user_id: 1,
              content: [{ type: 'node', data: { name: 'Inner', uin: 2, content: 'deep' } }],
            },
          },
        ],
      },
    );
    expect(sent.forward_id).toBe(sent.res_id);
    const event = h.events.at(-1)!;
    expect(event).toMatchObject({
      post_type: 'message_sent',
      message: [{ type: 'forward', data: { id: sent.forward_id } }],
    });

    const forward = await h.ok<{ messages: Array<Record<string, unknown>> }>('get_forward_msg', {
      id: sent.forward_id,
    });
    expect(forward.messages).toHaveLength(3);
    expect(forward.messages[0]).toMatchObject({
      message_id: quoted.message_id,
      sender: { user_id: ALICE, nickname: 'Alice' },
      content: text('original'),
    });
    expect(forward.messages[1]).toMatchObject({
      sender: { user_id: 12345, nickname: 'Someone' },
      content: text('custom text'),
    });
    const nested = (forward.messages[2]!.content as Array<{ type: string; data: { id: string } }>)[0]!;
    expect(nested.type).toBe('forward');
    const inner = await h.ok<{ messages: Array<Record<string, unknown>> }>('get_forward_msg', {
      id: nested.data.id,
    });
    expect(inner.messages[0]).toMatchObject({ sender: { nickname: 'Inner' }, message: text('deep') });
    // NapCat clients ask by the message id of the forward message.
    expect(await h.ok('get_forward_msg', { message_id: sent.message_id })).toEqual(forward);
    expect(await h.ok('get_forward_msg', { id: sent.message_id })).toEqual(forward);
  });

  it('treats a message of node segments sent with send_private_msg as a forward, and refuses mixed ones', async () => {
    h = await createHarness();
    const sent = await h.ok<{ forward_id: string }>('send_private_forward_msg', {
      user_id: ALICE,
      messages: [{ type: 'node', data: { name: 'A', uin: 1, content: 'x' } }],
    });
    expect(sent.forward_id).toMatch(/^sandbox-forward-/);
    const viaSendMsg = await h.ok<{ forward_id: string }>('send_msg', {
      user_id: ALICE,
      message: [{ type: 'node', data: { name: 'A', uin: 1, content: 'y' } }],
    });
    expect(viaSendMsg.forward_id).toBeDefined();
    expect(
      (
        await h.call('send_forward_msg', {
          group_id: GROUP,
          messages: [{ type: 'text', data: { text: 'not a node' } }],
        })
      ).retcode,
    ).toBe(1400);
    expect(
      (
        await h.call('send_group_forward_msg', {
          group_id: GROUP,
          messages: [{ type: 'node', data: { id: 999999 } }],
        })
      ).retcode,
    ).toBe(100);
    expect((await h.call('get_forward_msg', { id: 'nope' })).retcode).toBe(100);
  });
});

describe('reading marks and images', () => {
  it('marks known messages and chats as read, refuses unknown ones', async () => {
    h = await createHarness();
    const { message_id } = h.backend.simulateMessage({ message_type: 'private', user_id: BOB, message: 'x' });
    await h.ok('mark_msg_as_read', { message_id });
    await h.ok('mark_group_msg_as_read', { group_id: GROUP });
    await h.ok('mark_private_msg_as_read', { user_id: BOB });
    expect((await h.call('mark_msg_as_read', { message_id: 987654 })).retcode).toBe(100);
    expect((await h.call('mark_msg_as_read', {})).retcode).toBe(1400);
  });

  it('answers get_image for an image it has seen', async () => {
    h = await createHarness();
    h.backend.simulateMessage({
      message_type: 'group',
      group_id: GROUP,
      user_id: ALICE,
      message: [{ type: 'image', data: { file: 'abc.image', url: 'https://example.invalid/abc.png' } }],
    });
    expect(await h.ok('get_image', { file: 'abc.image' })).toMatchObject({
      file: 'https://example.invalid/abc.png',
      url: 'https://example.invalid/abc.png',
    });
    expect(await h.ok('get_image', { file_id: 'abc.image' })).toMatchObject({
      url: 'https://example.invalid/abc.png',
    });
    const unknown = await h.call('get_image', { file: 'other.image' });
    expect(unknown.retcode).toBe(100);
    expect(unknown.message).toContain('other.image');
    const neither = await h.call('get_image', {});
    expect(neither.retcode).toBe(1400);
    expect(neither.message).toContain('"file" is required');
  });
});
