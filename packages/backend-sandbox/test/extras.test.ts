import { afterEach, describe, expect, it } from 'vitest';
import { ALICE, BOB, CAROL, GROUP, SELF, createHarness, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h?.dispose();
});

describe('extension actions', () => {
  it('pokes a friend or a member with a notify poke notice', async () => {
    h = await createHarness();
    await h.ok('friend_poke', { user_id: ALICE });
    await h.ok('group_poke', { group_id: GROUP, user_id: CAROL });
    await h.ok('send_poke', { user_id: BOB, group_id: GROUP });
    expect(h.take()).toEqual([
      expect.objectContaining({ notice_type: 'notify', sub_type: 'poke', user_id: SELF, target_id: ALICE }),
      expect.objectContaining({
        notice_type: 'notify',
        sub_type: 'poke',
        group_id: GROUP,
        user_id: SELF,
        target_id: CAROL,
      }),
      expect.objectContaining({ notice_type: 'notify', sub_type: 'poke', group_id: GROUP, target_id: BOB }),
    ]);
    expect((await h.call('friend_poke', { user_id: CAROL })).retcode).toBe(100);
  });

  it('marks essence messages as admin, lists them, and reports essence notices', async () => {
    h = await createHarness();
    const { message_id } = h.backend.simulateMessage({
      message_type: 'group',
      group_id: GROUP,
      user_id: BOB,
      message: 'wisdom',
    });
    h.take();
    await h.ok('set_essence_msg', { message_id });
    await h.ok('set_essence_msg', { message_id });
    expect(h.take()).toEqual([
      expect.objectContaining({
        notice_type: 'essence',
        sub_type: 'add',
        group_id: GROUP,
        sender_id: BOB,
        operator_id: SELF,
        message_id,
      }),
    ]);
    expect(await h.ok('get_essence_msg_list', { group_id: GROUP })).toEqual([
      expect.objectContaining({ message_id, sender_id: BOB, sender_nick: 'Bob', operator_id: SELF }),
    ]);
    await h.ok('delete_essence_msg', { message_id });
    expect(await h.ok('get_essence_msg_list', { group_id: GROUP })).toEqual([]);
    const privateMessage = h.backend.simulateMessage({
      message_type: 'private',
      user_id: ALICE,
      message: 'x',
    });
    expect((await h.call('set_essence_msg', { message_id: privateMessage.message_id })).retcode).toBe(100);
  });

  it('edits friends and the bot profile', async () => {
    h = await createHarness();
    await h.ok('set_friend_remark', { user_id: ALICE, remark: 'best friend' });
    await h.ok('delete_friend', { user_id: BOB });
    expect(await h.ok('get_friend_list')).toEqual([
      { user_id: ALICE, nickname: 'Alice', remark: 'best friend' },
    ]);
    expect((await h.call('send_private_msg', { user_id: BOB, message: 'x' })).retcode).toBe(100);
    await h.ok('set_qq_profile', { nickname: 'Renamed Bot' });
    expect(await h.ok('get_login_info')).toEqual({ user_id: SELF, nickname: 'Renamed Bot' });
    await h.ok('send_group_msg', { group_id: GROUP, message: 'x' });
    expect(h.events.at(-1)!.sender).toMatchObject({ nickname: 'Renamed Bot' });
  });

  it('lists pending group requests in get_group_system_msg', async () => {
    h = await createHarness();
    const join = h.backend.simulateRequest({
      request_type: 'group',
      user_id: 60001,
      group_id: GROUP,
      comment: 'hi',
      nickname: 'Eve',
    });
    const invite = h.backend.simulateRequest({
      request_type: 'group',
      sub_type: 'invite',
      user_id: ALICE,
      group_id: 88888,
    });
    expect(await h.ok('get_group_system_msg')).toEqual({
      join_requests: [
        expect.objectContaining({
          request_id: join.flag,
          requester_uin: 60001,
          requester_nick: 'Eve',
          group_id: GROUP,
          message: 'hi',
        }),
      ],
      invited_requests: [
        expect.objectContaining({ request_id: invite.flag, invitor_uin: ALICE, group_id: 88888 }),
      ],
    });
    expect(await h.ok('get_group_at_all_remain', { group_id: GROUP })).toMatchObject({ can_at_all: true });
  });
});
