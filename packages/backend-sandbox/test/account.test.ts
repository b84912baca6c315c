import { createActionRouter, createEventBus, noopLogger } from '@onebot-gateway/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createSandboxBackend } from '../src/index.js';
import { ALICE, BOB, CAROL, GROUP, SELF, createHarness, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h?.dispose();
});

/** Every OneBot 11 public action, and the extensions popular clients call. */
const EXPECTED_ACTIONS = [
  'send_private_msg',
  'send_group_msg',
  'send_msg',
  'delete_msg',
  'get_msg',
  'get_forward_msg',
  'send_like',
  'set_group_kick',
  'set_group_ban',
  'set_group_anonymous_ban',
  'set_group_whole_ban',
  'set_group_admin',
  'set_group_anonymous',
  'set_group_card',
  'set_group_name',
  'set_group_leave',
  'set_group_special_title',
  'set_friend_add_request',
  'set_group_add_request',
  'get_login_info',
  'get_stranger_info',
  'get_friend_list',
  'get_group_info',
  'get_group_list',
  'get_group_member_info',
  'get_group_member_list',
  'get_group_honor_info',
  'get_cookies',
  'get_csrf_token',
  'get_credentials',
  'get_record',
  'get_image',
  'can_send_image',
  'can_send_record',
  'get_status',
  'get_version_info',
  'set_restart',
  'clean_cache',
  'get_guild_service_profile',
  'get_group_msg_history',
  'get_friend_msg_history',
  'send_group_forward_msg',
  'send_private_forward_msg',
  'send_forward_msg',
  'mark_msg_as_read',
];

describe('the account', () => {
  it('registers every public action and the common extensions on the router', async () => {
    h = await createHarness();
    for (const action of EXPECTED_ACTIONS) expect(h.router.has(action), action).toBe(true);
    expect(h.backend.actions()).toEqual(expect.arrayContaining(EXPECTED_ACTIONS));
    expect((await h.call('no_such_action')).retcode).toBe(1404);
  });

  it('answers login, friends, strangers, status and version', async () => {
    h = await createHarness();
    expect(await h.ok('get_login_info')).toEqual({ user_id: SELF, nickname: 'Sandbox Bot' });
    expect(await h.ok('get_friend_list')).toEqual([
      { user_id: ALICE, nickname: 'Alice', remark: '' },
      { user_id: BOB, nickname: 'Bob', remark: 'Bob from work' },
    ]);
    expect(await h.ok('get_stranger_info', { user_id: CAROL })).toMatchObject({
      user_id: CAROL,
      nickname: 'Carol',
    });
    const unknown = await h.call('get_stranger_info', { user_id: 31337 });
    expect(unknown.retcode).toBe(100);
    expect(unknown.message).toContain('31337');
    expect(await h.ok('get_status')).toMatchObject({ online: true, good: true });
    expect(await h.ok('get_version_info')).toMatchObject({
      app_name: 'onebot-gateway-sandbox',
      protocol_version: 'v11',
      app_version: expect.stringMatching(/^\d+\.\d+\.\d+/),
    });
    expect(await h.ok('can_send_image')).toEqual({ yes: true });
    expect(await h.ok('can_send_record')).toEqual({ yes: true });
    expect((await h.call('set_restart', { delay: 0 })).retcode).toBe(0);
    expect((await h.call('clean_cache')).retcode).toBe(0);
    expect(h.backend.selfId()).toBe(SELF);
    expect(h.backend.status()).toEqual({ online: true, good: true });
    await h.backend.stop();
    expect(h.backend.status().online).toBe(false);
    expect(await h.ok('get_status')).toMatchObject({ online: false });
  });

  it('fails what a sandbox cannot do with retcode 100 and a reason', async () => {
    h = await createHarness();
    for (const action of [
      'get_cookies',
      'get_csrf_token',
      'get_credentials',
      'get_record',
      'get_guild_service_profile',
    ]) {
      const response = await h.call(action, { domain: 'qun.qq.com', file: 'x', out_format: 'mp3' });
      expect(response, action).toMatchObject({ status: 'failed', retcode: 100 });
      expect(response.message.length, action).toBeGreaterThan(20);
    }
  });

  it('limits likes to 10 a day per user, and resets the next day', async () => {
    h = await createHarness();
    await h.ok('send_like', { user_id: ALICE, times: 10 });
    const over = await h.call('send_like', { user_id: ALICE });
    expect(over.retcode).toBe(100);
    expect(over.message).toContain('daily limit');
    await h.ok('send_like', { user_id: BOB });
    expect((await h.call('send_like', { user_id: SELF })).retcode).toBe(100);
    expect((await h.call('send_like', { user_id: 31337 })).retcode).toBe(100);
    expect((await h.call('send_like', { user_id: ALICE, times: 11 })).retcode).toBe(1400);
    h.advance(24 * 3600);
    await h.ok('send_like', { user_id: ALICE });
  });
});

describe('world config', () => {
  function make(config: Record<string, unknown>) {
    return createSandboxBackend({
      config,
      router: createActionRouter(),
      bus: createEventBus(),
      logger: noopLogger,
    });
  }

  it('defaults to two friends and one group the bot owns', () => {
    const backend = make({ type: 'sandbox' });
    expect(backend.config).toMatchObject({
      selfId: 10000,
      nickname: 'Sandbox Bot',
      historyLimit: 1000,
      requestLimit: 100,
    });
    expect(backend.snapshot()).toMatchObject({
      friends: [{ user_id: ALICE }, { user_id: BOB }],
      groups: [
        {
          group_id: GROUP,
          members: expect.arrayContaining([expect.objectContaining({ user_id: SELF, role: 'owner' })]),
        },
      ],
    });
  });

  it('accepts numeric strings as NapCat does, and lets the bot be listed with a role', () => {
    const backend = make({
      selfId: '123456',
      friends: [{ user_id: '222' }],
      groups: [
        {
          group_id: '333',
          members: [
            { user_id: 123456, role: 'admin' },
            { user_id: 444, role: 'owner' },
          ],
        },
      ],
      historyLimit: '50',
    });
    expect(backend.selfId()).toBe(123456);
    expect(backend.snapshot().friends).toEqual([{ user_id: 222, nickname: 'User 222', remark: '' }]);
    expect(backend.snapshot().groups[0]!.members.find((m) => m.user_id === 123456)!.role).toBe('admin');
    expect(backend.config.historyLimit).toBe(50);
  });

  it.each([
    [{ selfId: 'abc' }, 'gateway.backend.selfId: expected a positive integer'],
    [{ friends: {} }, 'gateway.backend.friends: expected an array'],
    [{ friends: [{ nickname: 'x' }] }, 'gateway.backend.friends[0].user_id'],
    [{ friends: [{ user_id: 10000 }] }, 'is the bot itself'],
    [{ friends: [{ user_id: 5 }, { user_id: 5 }] }, 'gateway.backend.friends[1]: friend 5 is listed twice'],
    [
      { groups: [{ group_id: 1, members: [{ user_id: 2, role: 'boss' }] }] },
      'gateway.backend.groups[0].members[0].role: expected "owner", "admin" or "member", got "boss"',
    ],
    [
      {
        groups: [
          {
            group_id: 1,
            members: [
              { user_id: 2, role: 'owner' },
              { user_id: 3, role: 'owner' },
            ],
          },
        ],
      },
      'has 2 owners',
    ],
    [{ groups: [{ group_id: 1, members: [{ user_id: 2 }, { user_id: 2 }] }] }, 'listed twice in group 1'],
    [{ groups: [{ group_id: 1 }, { group_id: 1 }] }, 'group 1 is listed twice'],
    [{ groups: [{ group_id: 1, whole_ban: 'yes' }] }, 'gateway.backend.groups[0].whole_ban'],
    [{ historyLimit: 0 }, 'gateway.backend.historyLimit: expected an integer >= 1'],
    [{ type: 'upstream' }, 'gateway.backend.type'],
  ])('rejects %j naming the key', (config, message) => {
    expect(() => make(config)).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining(message) }),
    );
  });
});
