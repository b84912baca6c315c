import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { actionFailed } from '../errors.js';
import type { ActionResponse } from '../types/actions.js';
import { createActionRouter } from './action-router.js';
import { MAX_REQUEST_DEPTH, isNestedDeeperThan } from './request-depth.js';

const router = createActionRouter({ rateLimitIntervalMs: 1, rateLimitQueueSize: 5 });
router.register('echo_params', (params) => params);
router.register('always_fails', () => {
  throw actionFailed('always fails');
});
router.register('always_throws', () => {
  throw new Error('always throws');
});
for (const action of [
  'send_group_msg',
  'send_private_msg',
  'delete_msg',
  'set_group_kick',
  'set_group_ban',
  'set_group_anonymous_ban',
  'set_friend_add_request',
  'set_group_add_request',
]) {
  router.register(action, () => null);
}
afterAll(() => router.dispose());

const actionNames = fc.oneof(
  fc.constantFrom(
    'echo_params',
    'always_fails',
    'always_throws',
    'send_group_msg',
    'send_group_msg_async',
    'send_group_msg_rate_limited',
    'set_group_card',
    '.handle_quick_operation',
    'get_status',
  ),
  fc.string(),
  fc.jsonValue(),
);

/** Requests that look like requests, with every field optional and any JSON in it. */
const requestLike = fc.record(
  {
    action: actionNames,
    params: fc.oneof(
      fc.dictionary(
        fc.constantFrom('group_id', 'message', 'context', 'operation', 'user_id', 'x'),
        fc.jsonValue(),
      ),
      fc.jsonValue(),
    ),
    echo: fc.jsonValue(),
  },
  { requiredKeys: [] },
);

const anyInput = fc.oneof(requestLike, fc.jsonValue(), fc.anything());

const STATUS_FOR_RETCODE = (retcode: number) => (retcode === 0 ? 'ok' : retcode === 1 ? 'async' : 'failed');

function isJson(value: unknown): boolean {
  try {
    JSON.stringify(value);
    return true;
  } catch {
    return false;
  }
}

function expectWellFormed(input: unknown, response: ActionResponse): void {
  expect(Object.keys(response).sort()).toEqual(
    Object.hasOwn(response, 'echo')
      ? ['data', 'echo', 'message', 'retcode', 'status', 'wording']
      : ['data', 'message', 'retcode', 'status', 'wording'],
  );
  expect(Number.isInteger(response.retcode)).toBe(true);
  expect(response.status).toBe(STATUS_FOR_RETCODE(response.retcode));
  expect(response.data).not.toBeUndefined();
  expect(typeof response.message).toBe('string');
  expect(typeof response.wording).toBe('string');
  if (response.retcode !== 0 && response.retcode !== 1) expect(response.message).not.toBe('');
  // Bad input is never a bug: every failure here is 100, 1400, 1404 or 1429.
  expect([0, 1, 100, 1400, 1404, 1429]).toContain(response.retcode);

  const isObject = typeof input === 'object' && input !== null && !Array.isArray(input);
  const echoKept =
    isObject &&
    Object.hasOwn(input, 'echo') &&
    !isNestedDeeperThan((input as { echo: unknown }).echo, MAX_REQUEST_DEPTH - 1);
  expect(Object.hasOwn(response, 'echo')).toBe(echoKept);
  if (echoKept) expect(response.echo).toBe((input as { echo: unknown }).echo);
  // Whatever comes back for JSON input can be sent as JSON.
  if (isJson(input)) expect(() => JSON.stringify(response)).not.toThrow();
}

describe('router.handle (property)', () => {
  it('always resolves to a well-formed response for arbitrary JSON-like input', async () => {
    await fc.assert(
      fc.asyncProperty(anyInput, async (input) => {
        // 'always_throws' is the one deliberate 1500; skip its exact name.
        if (
          typeof input === 'object' &&
          input !== null &&
          (input as { action?: unknown }).action === 'always_throws'
        )
          return;
        const response = await router.handle(input);
        expectWellFormed(input, response);
      }),
      { numRuns: 400 },
    );
  });

  it('answers 1500, still well-formed, for the deliberate bug', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          { action: fc.constant('always_throws'), echo: fc.jsonValue() },
          { requiredKeys: ['action'] },
        ),
        async (input) => {
          const response = await router.handle(input);
          expect(response.retcode).toBe(1500);
          expect(response.status).toBe('failed');
          expect(Object.hasOwn(response, 'echo')).toBe(Object.hasOwn(input, 'echo'));
        },
      ),
      { numRuns: 50 },
    );
  });

  it('turns any operation on any standard event into ok or a clear 1400, never a bug', async () => {
    const base = { time: 1, self_id: 1 };
    const message = {
      ...base,
      post_type: 'message',
      message_id: 1,
      user_id: 2,
      message: 'x',
      raw_message: 'x',
      font: 0,
    };
    const contexts = fc.constantFrom(
      { ...message, message_type: 'private', sub_type: 'friend', sender: { user_id: 2, nickname: 'a' } },
      {
        ...message,
        message_type: 'group',
        sub_type: 'normal',
        group_id: 3,
        anonymous: null,
        sender: { user_id: 2 },
      },
      {
        ...message,
        message_type: 'group',
        sub_type: 'anonymous',
        group_id: 3,
        anonymous: { id: 1, name: 'n', flag: 'f' },
      },
      { ...base, post_type: 'request', request_type: 'friend', user_id: 2, comment: '', flag: 'f' },
      {
        ...base,
        post_type: 'request',
        request_type: 'group',
        sub_type: 'invite',
        group_id: 3,
        user_id: 2,
        flag: 'g',
      },
      { ...base, post_type: 'notice', notice_type: 'friend_add', user_id: 2 },
    );
    const fields = [
      'reply',
      'auto_escape',
      'at_sender',
      'delete',
      'kick',
      'ban',
      'ban_duration',
      'approve',
      'remark',
      'reason',
    ];
    const value = fc.oneof(
      fc.jsonValue(),
      fc.constantFrom(true, false, 'yes', '0', 60, '120', [], [{ type: 'text', data: { text: 'a' } }]),
    );
    await fc.assert(
      fc.asyncProperty(
        contexts,
        fc.dictionary(fc.constantFrom(...fields), value),
        async (context, operation) => {
          const response = await router.handle({
            action: '.handle_quick_operation',
            params: { context, operation },
          });
          expectWellFormed({ action: '.handle_quick_operation' }, response);
          expect([0, 1400]).toContain(response.retcode);
        },
      ),
      { numRuns: 300 },
    );
  });
});
