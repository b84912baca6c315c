import { afterEach, describe, expect, it } from 'vitest';
import { BOB, GROUP, SELF, createHarness, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h?.dispose();
});

const STRANGER = 60001;

describe('friend requests', () => {
  it('publishes the request, and approving adds the friend with a friend_add notice', async () => {
    h = await createHarness();
    const { flag, event } = h.backend.simulateRequest({
      request_type: 'friend',
      user_id: STRANGER,
      comment: 'add me',
      nickname: 'Dave',
    });
    expect(event).toMatchObject({
      post_type: 'request',
      request_type: 'friend',
      user_id: STRANGER,
      comment: 'add me',
      flag,
      self_id: SELF,
    });
    expect(h.take()).toEqual([event]);
    expect(await h.ok('get_stranger_info', { user_id: STRANGER })).toMatchObject({ nickname: 'Dave' });

    await h.ok('set_friend_add_request', { flag, approve: true, remark: 'met online' });
    expect(h.take()).toEqual([
      expect.objectContaining({ post_type: 'notice', notice_type: 'friend_add', user_id: STRANGER }),
    ]);
    expect(await h.ok<unknown[]>('get_friend_list')).toContainEqual({
      user_id: STRANGER,
      nickname: 'Dave',
      remark: 'met online',
    });
    await h.ok('send_private_msg', { user_id: STRANGER, message: 'welcome' });

    const again = await h.call('set_friend_add_request', { flag });
    expect(again.retcode).toBe(100);
    expect(again.message).toContain(flag);
    expect(() => h.backend.simulateRequest({ request_type: 'friend', user_id: STRANGER })).toThrow(
      /already a friend/,
    );
  });

  it('rejecting leaves the friend list alone and emits nothing', async () => {
    h = await createHarness();
    const { flag } = h.backend.simulateRequest({ request_type: 'friend', user_id: STRANGER });
    h.take();
    await h.ok('set_friend_add_request', { flag, approve: 'false' });
    expect(h.take()).toEqual([]);
    expect((await h.ok<Array<{ user_id: number }>>('get_friend_list')).map((f) => f.user_id)).not.toContain(
      STRANGER,
    );
    expect(h.backend.snapshot().requests).toEqual([]);
  });

  it('answers through .handle_quick_operation as an HTTP POST reply would', async () => {
    h = await createHarness();
    const { event } = h.backend.simulateRequest({ request_type: 'friend', user_id: STRANGER });
    const response = await h.router.handle({
      action: '.handle_quick_operation',
      params: { context: event, operation: { approve: true } },
    });
    expect(response.retcode).toBe(0);
    expect(h.events.at(-1)).toMatchObject({ notice_type: 'friend_add', user_id: STRANGER });
  });
});

describe('group requests', () => {
  it('approving an add request makes a member, with a group_increase approve notice', async () => {
    h = await createHarness();
    const { flag, event } = h.backend.simulateRequest({
      request_type: 'group',
      sub_type: 'add',
      user_id: STRANGER,
      group_id: String(GROUP),
      comment: 'let me in',
    });
    expect(event).toMatchObject({
      request_type: 'group',
      sub_type: 'add',
      group_id: GROUP,
      user_id: STRANGER,
      comment: 'let me in',
      flag,
    });
    h.take();
    await h.ok('set_group_add_request', { flag, sub_type: 'add', approve: true });
    expect(h.take()).toEqual([
      expect.objectContaining({
        notice_type: 'group_increase',
        sub_type: 'approve',
        group_id: GROUP,
        operator_id: SELF,
        user_id: STRANGER,
      }),
    ]);
    expect(await h.ok('get_group_member_info', { group_id: GROUP, user_id: STRANGER })).toMatchObject({
      role: 'member',
    });
    h.backend.simulateMessage({
      message_type: 'group',
      group_id: GROUP,
      user_id: STRANGER,
      message: 'hello all',
    });
  });

  it('needs the right sub_type, and admin rights for add requests', async () => {
    h = await createHarness({ groups: [{ group_id: 30002, members: [{ user_id: 40001, role: 'owner' }] }] });
    const { flag } = h.backend.simulateRequest({ request_type: 'group', user_id: STRANGER, group_id: 30002 });
    expect((await h.call('set_group_add_request', { flag, type: 'invite' })).retcode).toBe(100);
    const notAdmin = await h.call('set_group_add_request', { flag });
    expect(notAdmin.retcode).toBe(100);
    expect(notAdmin.message).toContain('needs an admin');
    // A refused answer keeps the request pending.
    expect(h.backend.snapshot().requests.map((r) => r.flag)).toEqual([flag]);
  });

  it('accepting an invitation adds the group, owned by the inviter', async () => {
    h = await createHarness();
    const { flag } = h.backend.simulateRequest({
      request_type: 'group',
      sub_type: 'invite',
      user_id: BOB,
      group_id: 77777,
    });
    expect(() =>
      h.backend.simulateRequest({ request_type: 'group', sub_type: 'invite', user_id: BOB, group_id: GROUP }),
    ).toThrow(/already in group/);
    h.take();
    await h.ok('set_group_add_request', { flag, sub_type: 'invite' });
    expect(h.take()).toEqual([
      expect.objectContaining({
        notice_type: 'group_increase',
        sub_type: 'invite',
        group_id: 77777,
        operator_id: BOB,
        user_id: SELF,
      }),
    ]);
    const members = await h.ok<Array<{ user_id: number; role: string }>>('get_group_member_list', {
      group_id: 77777,
    });
    expect(members.map((m) => [m.user_id, m.role]).sort()).toEqual([
      [SELF, 'member'],
      [BOB, 'owner'],
    ]);
    await h.ok('send_group_msg', { group_id: 77777, message: 'thanks for the invite' });
  });

  it('keeps at most requestLimit pending requests, forgetting the oldest', async () => {
    h = await createHarness({ requestLimit: 2 });
    const flags = [1, 2, 3].map(
      (n) => h.backend.simulateRequest({ request_type: 'friend', user_id: STRANGER + n }).flag,
    );
    expect(h.backend.snapshot().requests.map((r) => r.flag)).toEqual(flags.slice(1));
    const dropped = await h.call('set_friend_add_request', { flag: flags[0] });
    expect(dropped.retcode).toBe(100);
    expect(dropped.message).toContain('requestLimit 2');
    await h.ok('set_friend_add_request', { flag: flags[2] });
  });

  it('validates simulated requests', async () => {
    h = await createHarness();
    expect(() => h.backend.simulateRequest({ request_type: 'friend', user_id: SELF })).toThrow(/bot itself/);
    expect(() => h.backend.simulateRequest({ request_type: 'poke' as never, user_id: 1 })).toThrow(
      /request_type/,
    );
    expect(() => h.backend.simulateRequest({ request_type: 'group', user_id: 1 })).toThrow(/group_id/);
    expect(() => h.backend.simulateRequest({ request_type: 'group', user_id: 1, group_id: 99 })).toThrow(
      /group 99 not found/,
    );
    expect(() =>
      h.backend.simulateRequest({
        request_type: 'group',
        sub_type: 'join' as never,
        user_id: 1,
        group_id: GROUP,
      }),
    ).toThrow(/sub_type/);
    expect(() => h.backend.simulateRequest({ request_type: 'friend', user_id: 'x' })).toThrow(/QQ number/);
    expect(h.events).toEqual([]);
  });
});
