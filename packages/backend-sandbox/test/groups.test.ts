import { afterEach, describe, expect, it } from 'vitest';
import { ALICE, BOB, CAROL, GROUP, SELF, createHarness, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h?.dispose();
});

/** A group where the bot is only an admin, so permission limits show. */
const ADMIN_GROUP = 30001;
const OWNER = 40001;
const OTHER_ADMIN = 40002;
const MEMBER = 40003;
const adminWorld = {
  groups: [
    {
      group_id: ADMIN_GROUP,
      group_name: 'Bot is admin',
      members: [
        { user_id: SELF, role: 'admin' },
        { user_id: OWNER, nickname: 'Owner', role: 'owner' },
        { user_id: OTHER_ADMIN, nickname: 'Other admin', role: 'admin' },
        { user_id: MEMBER, nickname: 'Member' },
      ],
    },
    { group_id: 30002, members: [{ user_id: OWNER, role: 'owner' }] },
  ],
};

describe('group information', () => {
  it('lists the default group and its members with the bot as owner', async () => {
    h = await createHarness();
    expect(await h.ok('get_group_list')).toEqual([
      {
        group_id: GROUP,
        group_name: 'Sandbox Group',
        member_count: 4,
        max_member_count: 500,
        group_all_shut: 0,
      },
    ]);
    expect(await h.ok('get_group_info', { group_id: String(GROUP) })).toMatchObject({
      group_id: GROUP,
      member_count: 4,
    });
    const members = await h.ok<Array<{ user_id: number; role: string }>>('get_group_member_list', {
      group_id: GROUP,
    });
    expect(members.map((m) => [m.user_id, m.role])).toEqual([
      [ALICE, 'admin'],
      [BOB, 'member'],
      [CAROL, 'member'],
      [SELF, 'owner'],
    ]);
    expect(await h.ok('get_group_member_info', { group_id: GROUP, user_id: CAROL })).toMatchObject({
      group_id: GROUP,
      user_id: CAROL,
      nickname: 'Carol',
      card: 'Carol (not a friend)',
      role: 'member',
      shut_up_timestamp: 0,
      card_changeable: true,
    });
  });

  it('names the unknown group or user in the failure', async () => {
    h = await createHarness();
    const group = await h.call('get_group_info', { group_id: 424242 });
    expect(group).toMatchObject({ status: 'failed', retcode: 100 });
    expect(group.message).toContain('group 424242 not found');
    const member = await h.call('get_group_member_info', { group_id: GROUP, user_id: 515151 });
    expect(member.retcode).toBe(100);
    expect(member.message).toContain('user 515151 is not a member of group');
    expect((await h.call('get_group_member_info', { group_id: 'abc', user_id: 1 })).retcode).toBe(1400);
  });

  it('ranks the talkative member in get_group_honor_info', async () => {
    h = await createHarness();
    for (const userId of [BOB, BOB, ALICE]) {
      h.backend.simulateMessage({ message_type: 'group', group_id: GROUP, user_id: userId, message: 'chat' });
    }
    const honor = await h.ok<Record<string, unknown>>('get_group_honor_info', {
      group_id: GROUP,
      type: 'talkative',
    });
    expect(honor).toMatchObject({ group_id: GROUP, current_talkative: { user_id: BOB, day_count: 2 } });
    expect(honor.talkative_list).toHaveLength(2);
    expect(honor.performer_list).toBeUndefined();
    const all = await h.ok<Record<string, unknown>>('get_group_honor_info', { group_id: GROUP, type: 'all' });
    expect(all).toHaveProperty('emotion_list', []);
    expect((await h.call('get_group_honor_info', { group_id: GROUP, type: 'best' })).retcode).toBe(1400);
  });
});

describe('kick', () => {
  it('removes the member with a group_decrease kick notice', async () => {
    h = await createHarness();
    await h.ok('set_group_kick', { group_id: GROUP, user_id: BOB });
    expect(h.take()).toEqual([
      expect.objectContaining({
        post_type: 'notice',
        notice_type: 'group_decrease',
        sub_type: 'kick',
        group_id: GROUP,
        operator_id: SELF,
        user_id: BOB,
      }),
    ]);
    expect((await h.call('get_group_member_info', { group_id: GROUP, user_id: BOB })).retcode).toBe(100);
    expect(await h.ok('get_group_info', { group_id: GROUP })).toMatchObject({ member_count: 3 });
    // Still a friend, still known.
    expect(await h.ok('get_stranger_info', { user_id: BOB })).toMatchObject({ nickname: 'Bob' });
  });

  it('refuses what a real account could not do', async () => {
    h = await createHarness(adminWorld);
    for (const [userId, why] of [
      [OWNER, 'owner'],
      [OTHER_ADMIN, 'admin'],
      [SELF, 'itself'],
    ] as const) {
      const response = await h.call('set_group_kick', { group_id: ADMIN_GROUP, user_id: userId });
      expect(response.retcode, why).toBe(100);
    }
    const asMember = await h.call('set_group_kick', { group_id: 30002, user_id: OWNER });
    expect(asMember.retcode).toBe(100);
    expect(asMember.message).toContain('needs an admin or the owner');
    await h.ok('set_group_kick', { group_id: ADMIN_GROUP, user_id: MEMBER });
    expect(h.take()).toHaveLength(1);
  });

  it('refuses later join requests after reject_add_request', async () => {
    h = await createHarness();
    await h.ok('set_group_kick', { group_id: GROUP, user_id: CAROL, reject_add_request: 'true' });
    expect(() =>
      h.backend.simulateRequest({ request_type: 'group', user_id: CAROL, group_id: GROUP }),
    ).toThrow(/reject_add_request/);
    expect(
      h.backend.simulateRequest({ request_type: 'group', user_id: 50001, group_id: GROUP, sub_type: 'add' })
        .flag,
    ).toBeTruthy();
  });
});

describe('mutes', () => {
  it('mutes and unmutes a member with group_ban notices, and the mute expires', async () => {
    h = await createHarness();
    await h.ok('set_group_ban', { group_id: GROUP, user_id: BOB, duration: 60 });
    expect(h.take()).toEqual([
      expect.objectContaining({
        notice_type: 'group_ban',
        sub_type: 'ban',
        group_id: GROUP,
        operator_id: SELF,
        user_id: BOB,
        duration: 60,
      }),
    ]);
    const info = await h.ok<{ shut_up_timestamp: number }>('get_group_member_info', {
      group_id: GROUP,
      user_id: BOB,
    });
    expect(info.shut_up_timestamp).toBeGreaterThan(0);
    expect(() =>
      h.backend.simulateMessage({ message_type: 'group', group_id: GROUP, user_id: BOB, message: 'mmph' }),
    ).toThrow(/muted/);

    await h.ok('set_group_ban', { group_id: GROUP, user_id: BOB, duration: 0 });
    expect(h.take()).toEqual([
      expect.objectContaining({ notice_type: 'group_ban', sub_type: 'lift_ban', user_id: BOB, duration: 0 }),
    ]);
    h.backend.simulateMessage({ message_type: 'group', group_id: GROUP, user_id: BOB, message: 'free' });

    await h.ok('set_group_ban', { group_id: GROUP, user_id: CAROL, duration: 30 });
    h.advance(31);
    h.backend.simulateMessage({ message_type: 'group', group_id: GROUP, user_id: CAROL, message: 'expired' });
    // Lifting a mute that is already over changes nothing: no notice.
    h.take();
    await h.ok('set_group_ban', { group_id: GROUP, user_id: CAROL, duration: 0 });
    expect(h.take()).toEqual([]);
  });

  it('uses 30 minutes by default and refuses negative or over-long durations', async () => {
    h = await createHarness();
    await h.ok('set_group_ban', { group_id: GROUP, user_id: BOB });
    expect(h.take()[0]).toMatchObject({ duration: 1800 });
    expect((await h.call('set_group_ban', { group_id: GROUP, user_id: BOB, duration: -5 })).retcode).toBe(
      1400,
    );
    expect(
      (await h.call('set_group_ban', { group_id: GROUP, user_id: BOB, duration: 40 * 24 * 3600 })).retcode,
    ).toBe(100);
  });

  it('cannot mute the owner or an equal admin', async () => {
    h = await createHarness(adminWorld);
    expect(
      (await h.call('set_group_ban', { group_id: ADMIN_GROUP, user_id: OWNER, duration: 60 })).retcode,
    ).toBe(100);
    expect(
      (await h.call('set_group_ban', { group_id: ADMIN_GROUP, user_id: OTHER_ADMIN, duration: 60 })).retcode,
    ).toBe(100);
    await h.ok('set_group_ban', { group_id: ADMIN_GROUP, user_id: MEMBER, duration: 60 });
  });

  it('mutes the whole group (user 0, duration -1) and silences plain members only', async () => {
    h = await createHarness();
    await h.ok('set_group_whole_ban', { group_id: GROUP });
    await h.ok('set_group_whole_ban', { group_id: GROUP, enable: true });
    expect(h.take()).toEqual([
      expect.objectContaining({ notice_type: 'group_ban', sub_type: 'ban', user_id: 0, duration: -1 }),
    ]);
    expect(() =>
      h.backend.simulateMessage({ message_type: 'group', group_id: GROUP, user_id: BOB, message: 'x' }),
    ).toThrow(/muted as a whole/);
    h.backend.simulateMessage({
      message_type: 'group',
      group_id: GROUP,
      user_id: ALICE,
      message: 'admins may speak',
    });
    await h.ok('send_group_msg', { group_id: GROUP, message: 'so may the owner' });
    await h.ok('set_group_whole_ban', { group_id: GROUP, enable: 'false' });
    expect(h.take().at(-1)).toMatchObject({
      notice_type: 'group_ban',
      sub_type: 'lift_ban',
      user_id: 0,
      duration: 0,
    });
  });

  it('bans an anonymous sender it has seen, by flag', async () => {
    h = await createHarness();
    const { event } = h.backend.simulateMessage({
      message_type: 'group',
      group_id: GROUP,
      user_id: BOB,
      message: 'boo',
      anonymous: { name: 'Ghost' },
    });
    expect(event).toMatchObject({ sub_type: 'anonymous', user_id: 80000000, anonymous: { name: 'Ghost' } });
    await h.ok('set_group_anonymous_ban', { group_id: GROUP, anonymous: event.anonymous });
    await h.ok('set_group_anonymous_ban', {
      group_id: GROUP,
      anonymous_flag: (event.anonymous as { flag: string }).flag,
      duration: 60,
    });
    expect((await h.call('set_group_anonymous_ban', { group_id: GROUP, flag: 'never-seen' })).retcode).toBe(
      100,
    );
    expect((await h.call('set_group_anonymous_ban', { group_id: GROUP })).retcode).toBe(1400);
    await h.ok('set_group_anonymous', { group_id: GROUP, enable: false });
    expect(() =>
      h.backend.simulateMessage({
        message_type: 'group',
        group_id: GROUP,
        user_id: BOB,
        message: 'boo',
        anonymous: { name: 'Ghost' },
      }),
    ).toThrow(/anonymous/);
  });

  it('holds an anonymous ban: that member cannot speak anonymously until it ends or is lifted', async () => {
    h = await createHarness();
    const anonymously = (userId: number) =>
      h.backend.simulateMessage({
        message_type: 'group',
        group_id: GROUP,
        user_id: userId,
        message: 'boo',
        anonymous: { name: 'Ghost' },
      });
    const first = anonymously(BOB).event.anonymous as { flag: string; id: number };
    // One identity per member and group, as on QQ: the flag a bot bans is the one the member keeps.
    const again = anonymously(BOB).event.anonymous as { flag: string; id: number };
    expect(again).toEqual({ id: first.id, name: 'Ghost', flag: first.flag });
    await h.ok('set_group_anonymous_ban', { group_id: GROUP, anonymous_flag: first.flag, duration: 60 });
    expect(() => anonymously(BOB)).toThrow(
      new RegExp(`anonymous identity "${first.flag}" is banned in group ${GROUP} until`),
    );
    // Only that identity: Bob under his own name, and Carol anonymously, still speak.
    h.backend.simulateMessage({ message_type: 'group', group_id: GROUP, user_id: BOB, message: 'me again' });
    expect((anonymously(CAROL).event.anonymous as { flag: string }).flag).not.toBe(first.flag);
    h.advance(61);
    expect((anonymously(BOB).event.anonymous as { flag: string }).flag).toBe(first.flag);
    await h.ok('set_group_anonymous_ban', { group_id: GROUP, flag: first.flag });
    expect(() => anonymously(BOB)).toThrow(/banned/);
    await h.ok('set_group_anonymous_ban', { group_id: GROUP, flag: first.flag, duration: 0 });
    anonymously(BOB);
  });
});

describe('roles, cards, names, titles', () => {
  it('sets and unsets admins (owner only) with group_admin notices', async () => {
    h = await createHarness();
    await h.ok('set_group_admin', { group_id: GROUP, user_id: BOB });
    await h.ok('set_group_admin', { group_id: GROUP, user_id: BOB, enable: true });
    await h.ok('set_group_admin', { group_id: GROUP, user_id: ALICE, enable: false });
    expect(h.take()).toEqual([
      expect.objectContaining({ notice_type: 'group_admin', sub_type: 'set', group_id: GROUP, user_id: BOB }),
      expect.objectContaining({
        notice_type: 'group_admin',
        sub_type: 'unset',
        group_id: GROUP,
        user_id: ALICE,
      }),
    ]);
    expect(await h.ok('get_group_member_info', { group_id: GROUP, user_id: BOB })).toMatchObject({
      role: 'admin',
    });
    expect((await h.call('set_group_admin', { group_id: GROUP, user_id: SELF })).retcode).toBe(100);
  });

  it('refuses set_group_admin when the bot is only an admin', async () => {
    h = await createHarness(adminWorld);
    const response = await h.call('set_group_admin', { group_id: ADMIN_GROUP, user_id: MEMBER });
    expect(response.retcode).toBe(100);
    expect(response.message).toContain('needs the group owner');
  });

  it('changes cards it may change, with group_card notices', async () => {
    h = await createHarness(adminWorld);
    await h.ok('set_group_card', { group_id: ADMIN_GROUP, user_id: SELF, card: 'Bot' });
    await h.ok('set_group_card', { group_id: ADMIN_GROUP, user_id: MEMBER, card: 'Renamed' });
    expect(h.take()).toEqual([
      expect.objectContaining({ notice_type: 'group_card', user_id: SELF, card_new: 'Bot', card_old: '' }),
      expect.objectContaining({
        notice_type: 'group_card',
        user_id: MEMBER,
        card_new: 'Renamed',
        card_old: '',
      }),
    ]);
    expect(
      (await h.call('set_group_card', { group_id: ADMIN_GROUP, user_id: OWNER, card: 'x' })).retcode,
    ).toBe(100);
    expect((await h.call('set_group_card', { group_id: 30002, user_id: OWNER, card: 'x' })).retcode).toBe(
      100,
    );
    const { event } = h.backend.simulateMessage({
      message_type: 'group',
      group_id: ADMIN_GROUP,
      user_id: MEMBER,
      message: 'hi',
    });
    expect(event.sender).toMatchObject({ card: 'Renamed', nickname: 'Member', role: 'member' });
  });

  it('renames the group as admin and refuses as member', async () => {
    h = await createHarness(adminWorld);
    await h.ok('set_group_name', { group_id: ADMIN_GROUP, group_name: 'New name' });
    expect(await h.ok('get_group_info', { group_id: ADMIN_GROUP })).toMatchObject({ group_name: 'New name' });
    expect((await h.call('set_group_name', { group_id: 30002, group_name: 'x' })).retcode).toBe(100);
    expect((await h.call('set_group_name', { group_id: ADMIN_GROUP })).retcode).toBe(1400);
  });

  it('gives special titles as owner only', async () => {
    h = await createHarness(adminWorld);
    expect(
      (
        await h.call('set_group_special_title', {
          group_id: ADMIN_GROUP,
          user_id: MEMBER,
          special_title: 'x',
        })
      ).retcode,
    ).toBe(100);
    await h.dispose();
    h = await createHarness();
    await h.ok('set_group_special_title', { group_id: GROUP, user_id: BOB, special_title: 'Legend' });
    expect(h.take()).toEqual([
      expect.objectContaining({ notice_type: 'notify', sub_type: 'title', user_id: BOB, title: 'Legend' }),
    ]);
    expect(await h.ok('get_group_member_info', { group_id: GROUP, user_id: BOB })).toMatchObject({
      title: 'Legend',
    });
  });
});

describe('leaving', () => {
  it('refuses to leave an owned group without is_dismiss, then dismisses it', async () => {
    h = await createHarness();
    h.backend.simulateMessage({ message_type: 'group', group_id: GROUP, user_id: ALICE, message: 'bye?' });
    const refused = await h.call('set_group_leave', { group_id: GROUP });
    expect(refused.retcode).toBe(100);
    expect(refused.message).toContain('is_dismiss');
    h.take();
    await h.ok('set_group_leave', { group_id: GROUP, is_dismiss: true });
    expect(h.take()).toEqual([
      expect.objectContaining({
        notice_type: 'group_decrease',
        sub_type: 'leave',
        group_id: GROUP,
        user_id: SELF,
        operator_id: SELF,
      }),
    ]);
    expect(await h.ok('get_group_list')).toEqual([]);
    expect((await h.call('send_group_msg', { group_id: GROUP, message: 'x' })).retcode).toBe(100);
    expect(h.backend.snapshot().history.messages).toBe(0);
  });

  it('leaves a group it does not own', async () => {
    h = await createHarness(adminWorld);
    await h.ok('set_group_leave', { group_id: 30002 });
    expect((await h.ok<unknown[]>('get_group_list')).length).toBe(1);
  });
});

describe('quick operations on a group message', () => {
  it('replies with at_sender, recalls, and mutes the sender, all consistently', async () => {
    h = await createHarness();
    const { event, message_id } = h.backend.simulateMessage({
      message_type: 'group',
      group_id: GROUP,
      user_id: BOB,
      message: 'buy cheap gold',
    });
    h.take();
    const response = await h.router.handle({
      action: '.handle_quick_operation',
      params: {
        context: event,
        operation: { reply: 'no ads', at_sender: true, delete: true, ban: true, ban_duration: 120 },
      },
    });
    expect(response.retcode).toBe(0);
    const [reply, recall, ban] = h.take();
    expect(reply).toMatchObject({
      post_type: 'message_sent',
      group_id: GROUP,
      message: [
        { type: 'at', data: { qq: String(BOB) } },
        { type: 'text', data: { text: ' ' } },
        { type: 'text', data: { text: 'no ads' } },
      ],
    });
    expect(recall).toMatchObject({
      notice_type: 'group_recall',
      message_id,
      user_id: BOB,
      operator_id: SELF,
    });
    expect(ban).toMatchObject({ notice_type: 'group_ban', sub_type: 'ban', user_id: BOB, duration: 120 });
    expect(h.backend.conversation({ message_type: 'group', group_id: GROUP }).map((m) => m.user_id)).toEqual([
      SELF,
    ]);
  });
});
