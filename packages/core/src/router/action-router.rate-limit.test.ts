import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRecordingLogger } from '../../test/helpers/recording-logger.js';
import type { RateLimitConfig } from '../config/types.js';
import { defaultRateLimitedActions } from '../config/rate-limit-section.js';
import type { ActionResponse } from '../types/actions.js';
import { createActionRouter, type ActionRouter, type ActionRouterOptions } from './action-router.js';

const MiB = 1024 * 1024;
const GROUP = 20001;

function rateLimit(overrides: Partial<RateLimitConfig> = {}): RateLimitConfig {
  return {
    enable: true,
    frequency: 10,
    bucket: 1,
    actions: [...defaultRateLimitedActions],
    maxQueue: 1000,
    maxQueueBytes: 16 * MiB,
    ...overrides,
  };
}

let router: ActionRouter;
let logger: ReturnType<typeof createRecordingLogger>;
/** Every call the backend ran, as `action:tag`, in the order it ran. */
let ran: string[];

function makeRouter(options: ActionRouterOptions): ActionRouter {
  router?.dispose();
  router = createActionRouter({ logger, ...options });
  const record = (action: string) => (params: Record<string, unknown>) => {
    const tag = params.tag ?? (typeof params.message === 'string' ? params.message : '');
    ran.push(`${action}:${String(tag)}`);
    return { message_id: ran.length };
  };
  for (const action of ['send_msg', 'send_group_msg', 'set_group_kick', 'get_status', 'set_group_ban'])
    router.register(action, record(action));
  return router;
}

const send = (tag: string, action = 'send_group_msg') =>
  router.handle({ action, params: { group_id: GROUP, message: tag }, echo: tag });

/** Settle each answer into `answered` as it comes, so the order answers arrive in can be checked. */
function track(answers: Array<Promise<ActionResponse>>): string[] {
  const answered: string[] = [];
  for (const answer of answers) void answer.then((response) => answered.push(String(response.echo)));
  return answered;
}

beforeEach(() => {
  vi.useFakeTimers();
  logger = createRecordingLogger();
  ran = [];
});

afterEach(() => {
  router.dispose();
  vi.useRealTimers();
});

describe('gateway.rateLimit in the action router', () => {
  it('holds limited calls to the bucket and the rate, answering in arrival order; other actions never wait', async () => {
    makeRouter({ rateLimit: rateLimit({ frequency: 10, bucket: 2 }) });
    const answered = track(['a', 'b', 'c', 'd', 'e'].map((tag) => send(tag)));
    const status = await router.handle({ action: 'get_status', params: { tag: 'now' } });
    expect(status.retcode).toBe(0);
    expect(ran).toEqual(['send_group_msg:a', 'send_group_msg:b', 'get_status:now']);
    await vi.advanceTimersByTimeAsync(99);
    expect(answered).toEqual(['a', 'b']);
    await vi.advanceTimersByTimeAsync(1);
    expect(answered).toEqual(['a', 'b', 'c']);
    await vi.advanceTimersByTimeAsync(200);
    expect(answered).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(ran.filter((call) => call.startsWith('send_group_msg'))).toEqual(
      ['a', 'b', 'c', 'd', 'e'].map((tag) => `send_group_msg:${tag}`),
    );
  });

  it('_async of a limited action answers at once and runs at its turn; _rate_limited shares the same bucket', async () => {
    makeRouter({ rateLimit: rateLimit({ frequency: 10, bucket: 1 }) });
    const first = await send('first', 'send_msg');
    const asyncAnswer = await send('async', 'send_msg_async');
    const rateLimited = await router.handle({
      action: 'set_group_ban_rate_limited',
      params: { group_id: GROUP, user_id: 1, tag: 'ban' },
    });
    const plain = send('plain');
    expect([first.retcode, asyncAnswer.retcode, rateLimited.retcode]).toEqual([0, 1, 1]);
    expect(ran).toEqual(['send_msg:first']);
    await vi.advanceTimersByTimeAsync(100);
    expect(ran).toEqual(['send_msg:first', 'send_msg:async']);
    await vi.advanceTimersByTimeAsync(100);
    expect(ran.at(-1)).toBe('set_group_ban:ban');
    await vi.advanceTimersByTimeAsync(100);
    expect(ran.at(-1)).toBe('send_group_msg:plain');
    expect((await plain).retcode).toBe(0);
  });

  it('answers 1429 at once past maxQueue, with the queue and the wait in the message, whatever the suffix', async () => {
    makeRouter({ rateLimit: rateLimit({ frequency: 1, bucket: 1, maxQueue: 2 }) });
    const waiting = ['a', 'b', 'c'].map((tag) => send(tag));
    const refused = await Promise.all([
      send('d'),
      send('e', 'send_msg_async'),
      router.handle({ action: 'get_status_rate_limited', params: {} }),
    ]);
    expect(refused.map((r) => [r.status, r.retcode])).toEqual([
      ['failed', 1429],
      ['failed', 1429],
      ['failed', 1429],
    ]);
    expect(refused[0]!.message).toBe(
      'rate limit: 2 calls queued, next in ~1.0 s (gateway.rateLimit.maxQueue is 2; a call now would wait ~3.0 s); retry later',
    );
    expect(refused[0]!.echo).toBe('d');
    expect(router.rateLimitStatus()).toEqual([
      expect.objectContaining({ selfId: '0', enabled: true, queued: 2, calls: 3, waited: 2, refused: 3 }),
    ]);
    await vi.advanceTimersByTimeAsync(2000);
    expect((await Promise.all(waiting)).map((r) => r.retcode)).toEqual([0, 0, 0]);
    expect(ran).toEqual(['a', 'b', 'c'].map((tag) => `send_group_msg:${tag}`));
  });

  it('answers 1429 past maxQueueBytes, naming the bytes', async () => {
    makeRouter({ rateLimit: rateLimit({ frequency: 1, maxQueueBytes: 1000 }) });
    void send('goes at once');
    void send('x'.repeat(600));
    const refused = await send('y'.repeat(600));
    expect(refused.retcode).toBe(1429);
    expect(refused.message).toMatch(
      /^rate limit: 1 call queued with \d+ bytes of params, next in ~1\.0 s; this call adds \d+ bytes and gateway\.rateLimit\.maxQueueBytes is 1000; retry later or send a smaller call$/,
    );
  });

  it('answers a bad call 1400 at once without taking a token', async () => {
    makeRouter({ rateLimit: rateLimit({ frequency: 1 }) });
    const bad = await router.handle({ action: 'send_group_msg', params: { message: 'no group' } });
    expect(bad).toMatchObject({ retcode: 1400, message: 'param "group_id" is required (integer)' });
    expect((await send('still goes at once')).retcode).toBe(0);
  });

  it('a quick operation takes no token itself: its reply waits for one, the kick after it does not', async () => {
    makeRouter({ rateLimit: rateLimit({ frequency: 10 }) });
    await send('takes the token');
    const operation = router.handle({
      action: '.handle_quick_operation',
      params: {
        context: {
          post_type: 'message',
          message_type: 'group',
          group_id: GROUP,
          user_id: 10001,
          message_id: 1,
          self_id: 10000,
          time: 0,
        },
        operation: { reply: 'quick reply', kick: true },
      },
    });
    await vi.advanceTimersByTimeAsync(99);
    expect(ran).toEqual(['send_group_msg:takes the token']);
    // The reply gets the next token; the kick runs right after it instead of waiting for another.
    await vi.advanceTimersByTimeAsync(1);
    expect(ran).toEqual(['send_group_msg:takes the token', 'send_group_msg:', 'set_group_kick:']);
    expect((await operation).retcode).toBe(0);
  });

  it('"*" limits every action', async () => {
    makeRouter({ rateLimit: rateLimit({ frequency: 10, actions: ['*'] }) });
    void router.handle({ action: 'get_status', params: { tag: '1' } });
    void router.handle({ action: 'get_status', params: { tag: '2' } });
    await vi.advanceTimersByTimeAsync(0);
    expect(ran).toEqual(['get_status:1']);
    await vi.advanceTimersByTimeAsync(100);
    expect(ran).toEqual(['get_status:1', 'get_status:2']);
  });

  it('setRateLimit changes the rate in place (order kept); switching it off lets every waiting call go at once', async () => {
    makeRouter({ rateLimit: rateLimit({ frequency: 1 }) });
    const answered = track(['a', 'b', 'c', 'd', 'e', 'f'].map((tag) => send(tag)));
    await vi.advanceTimersByTimeAsync(0);
    expect(answered).toEqual(['a']);
    router.setRateLimit(rateLimit({ frequency: 20 }));
    await vi.advanceTimersByTimeAsync(100);
    expect(answered).toEqual(['a', 'b', 'c']);
    router.setRateLimit(rateLimit({ enable: false, frequency: 20 }));
    await vi.advanceTimersByTimeAsync(0);
    expect(answered).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(ran).toEqual(['a', 'b', 'c', 'd', 'e', 'f'].map((tag) => `send_group_msg:${tag}`));
    // Off: plain sends never wait again.
    await Promise.all([send('g'), send('h')]);
    expect(ran.slice(-2)).toEqual(['send_group_msg:g', 'send_group_msg:h']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('switched on, _rate_limited calls already waiting at the legacy pace keep their place and take the new rate', async () => {
    makeRouter({ rateLimitIntervalMs: 1000 });
    for (const tag of ['a', 'b', 'c'])
      await router.handle({
        action: 'send_group_msg_rate_limited',
        params: { group_id: GROUP, message: tag },
      });
    router.setRateLimit(rateLimit({ frequency: 100 }));
    const plain = send('plain');
    await vi.advanceTimersByTimeAsync(30);
    expect(ran).toEqual(['a', 'b', 'c', 'plain'].map((tag) => `send_group_msg:${tag}`));
    expect((await plain).retcode).toBe(0);
  });

  it('dispose answers every waiting call with a failure saying the gateway is stopping, and leaves no timer', async () => {
    makeRouter({ rateLimit: rateLimit({ frequency: 1 }) });
    const answers = ['a', 'b', 'c'].map((tag) => send(tag));
    await send('d', 'send_msg_async');
    router.dispose();
    const [a, b, c] = await Promise.all(answers);
    expect(a!.retcode).toBe(0);
    for (const answer of [b!, c!]) {
      expect(answer).toMatchObject({
        status: 'failed',
        retcode: 100,
        message: 'the gateway is stopping: this call was held by the send rate limit and was not sent',
      });
    }
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(0);
    expect(
      logger.records.some((line) =>
        /background action send_msg failed: the gateway is stopping/.test(line.msg),
      ),
    ).toBe(true);
    expect(ran).toEqual(['send_group_msg:a']);
  });

  it('keeps one bucket per account (self_id)', async () => {
    let account = 111;
    makeRouter({ rateLimit: rateLimit({ frequency: 1 }), accountOf: () => account });
    await send('first of 111');
    const waits = send('second of 111');
    account = 222;
    expect((await send('first of 222')).retcode).toBe(0);
    expect(router.rateLimitStatus()).toEqual([
      expect.objectContaining({ selfId: '111', queued: 1 }),
      expect.objectContaining({ selfId: '222', queued: 0 }),
    ]);
    await vi.advanceTimersByTimeAsync(1000);
    expect((await waits).retcode).toBe(0);
  });

  it('forgets an account once nothing waits and its bucket is full again, so the map never outgrows the accounts in use', async () => {
    let account = 111;
    makeRouter({ rateLimit: rateLimit({ frequency: 10 }), accountOf: () => account });
    await send('sent as 111');
    account = 222;
    await send('sent as 222');
    expect(router.rateLimitStatus().map((status) => status.selfId)).toEqual(['111', '222']);
    await vi.advanceTimersByTimeAsync(100);
    account = 333;
    await send('sent as 333');
    expect(router.rateLimitStatus().map((status) => status.selfId)).toEqual(['333']);
  });
});
