import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OneBotError, actionFailed } from '../errors.js';
import type { Logger } from '../logger.js';
import { createRecordingLogger } from '../../test/helpers/recording-logger.js';
import type { ActionResponse } from '../types/actions.js';
import { createActionRouter, type ActionRouter, type ActionRouterOptions } from './action-router.js';
import { parseActionText } from './parse-request.js';

/** `levels` levels of alternating objects and arrays around a scalar. */
function nest(levels: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = i % 2 === 0 ? [value] : { v: value };
  return value;
}

function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Let queued microtasks and promise callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

let router: ActionRouter;
let logger: ReturnType<typeof createRecordingLogger>;
let calls: Array<{ action: string; params: Record<string, unknown> }>;

function makeRouter(options: ActionRouterOptions = {}): ActionRouter {
  router?.dispose();
  router = createActionRouter({ logger, ...options });
  const record = (action: string) => (params: Record<string, unknown>) => {
    calls.push({ action, params });
    return { message_id: calls.length };
  };
  router.register('send_group_msg', record('send_group_msg'));
  router.register('send_private_msg', record('send_private_msg'));
  router.register('send_msg', record('send_msg'));
  router.register('set_group_ban', record('set_group_ban'));
  router.register('echo_params', (params) => params);
  router.register('get_nothing', () => undefined);
  router.register('always_fails', () => {
    throw actionFailed('user 123 is not in group 456; check the ids');
  });
  router.register('always_throws', () => {
    throw new Error('kaboom');
  });
  router.register('rejects', async () => {
    await Promise.resolve();
    throw new TypeError('async kaboom');
  });
  return router;
}

beforeEach(() => {
  logger = createRecordingLogger();
  calls = [];
  makeRouter();
});

afterEach(() => {
  router.dispose();
  vi.useRealTimers();
});

describe('echo', () => {
  const echoes: Array<[string, unknown]> = [
    ['0', 0],
    ['empty string', ''],
    ['false', false],
    ['null', null],
    ['a number', 42.5],
    ['a string', 'req-1'],
    ['an object', { id: 1, nested: { list: [1, 'a', null] } }],
    ['an array', [1, [2, [3]]]],
  ];

  it.each(echoes)('copies %s back exactly on success and on every failure', async (_name, echo) => {
    for (const action of ['echo_params', 'always_fails', 'always_throws', 'no_such_action']) {
      const response = await router.handle({ action, params: {}, echo });
      expect(Object.hasOwn(response, 'echo'), action).toBe(true);
      expect(response.echo, action).toStrictEqual(echo);
    }
    const badParams = await router.handle({ action: 'send_group_msg', params: { message: 'x' }, echo });
    expect(badParams.retcode).toBe(1400);
    expect(badParams.echo).toStrictEqual(echo);
    const badShape = await router.handle({ action: 'echo_params', params: [1], echo });
    expect(badShape.retcode).toBe(1400);
    expect(badShape.echo).toStrictEqual(echo);
    const noAction = await router.handle({ echo });
    expect(noAction.retcode).toBe(1400);
    expect(noAction.echo).toStrictEqual(echo);
  });

  it('is omitted, never invented, when the request had no echo key', async () => {
    const responses = await Promise.all([
      router.handle({ action: 'echo_params' }),
      router.handle({ action: 'always_fails' }),
      router.handle({ action: 'always_throws' }),
      router.handle({ action: 'nope' }),
      router.handle({ action: 'send_group_msg', params: {} }),
      router.handle({ params: {} }),
      router.handle('not an object'),
      router.handle({ action: 'echo_params_async' }),
    ]);
    for (const response of responses) expect(Object.hasOwn(response, 'echo')).toBe(false);
  });

  it('is kept when the echo key is present with the value undefined (a plugin call)', async () => {
    const response = await router.handle({ action: 'echo_params', echo: undefined });
    expect(Object.hasOwn(response, 'echo')).toBe(true);
    expect(JSON.parse(JSON.stringify(response))).not.toHaveProperty('echo');
  });

  it('survives a round trip through JSON text unchanged', async () => {
    const parsed = parseActionText('{"action":"echo_params","params":{},"echo":{"a":[0,"",false,null]}}');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const response = await router.handle(parsed.request);
    expect(JSON.stringify(response.echo)).toBe('{"a":[0,"",false,null]}');
  });
});

describe('nesting limit (128 levels)', () => {
  it('accepts a request nested exactly 128 levels and refuses 129 with 1400', async () => {
    // The request object is level 1, so params of 127 levels make 128.
    const ok = await router.handle({ action: 'echo_params', params: { deep: nest(126) } });
    expect(ok.retcode).toBe(0);
    expect(ok.data).toEqual({ deep: nest(126) });

    const tooDeep = await router.handle({ action: 'echo_params', params: { deep: nest(127) }, echo: 'e' });
    expect(tooDeep).toMatchObject({ status: 'failed', retcode: 1400, echo: 'e' });
    expect(tooDeep.message).toMatch(/deeper than 128 levels/);
  });

  it('keeps an echo of 127 levels, and drops one that is too deep', async () => {
    const echo = nest(127);
    const kept = await router.handle({ action: 'echo_params', echo });
    expect(kept.retcode).toBe(0);
    expect(kept.echo).toStrictEqual(echo);

    const dropped = await router.handle({ action: 'echo_params', echo: nest(128) });
    expect(dropped.retcode).toBe(1400);
    expect(dropped.message).toMatch(/128 levels/);
    expect(Object.hasOwn(dropped, 'echo')).toBe(false);
  });

  it('answers 1400, never 1500, for a 100 000-level request, and logs nothing as a bug', async () => {
    const text = `{"action":"echo_params","params":${'['.repeat(100_000)}${']'.repeat(100_000)},"echo":1}`;
    const parsed = parseActionText(text);
    const response = parsed.ok ? await router.handle(parsed.request) : parsed.response;
    expect(response.retcode).toBe(1400);
    expect(logger.records.filter((r) => r.level === 'error')).toEqual([]);
  });

  it('terminates on a cyclic or heavily shared params object (plugin calls)', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect((await router.handle({ action: 'echo_params', params: cyclic })).retcode).toBe(1400);

    // 2^60 paths through 60 shared objects: walked naively this never ends.
    let shared: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 60; i++) shared = { a: shared, b: shared };
    const response = await router.handle({ action: 'echo_params', params: { shared } });
    expect(response.retcode).toBe(0);
  });
});

describe('parameter count limit (1000)', () => {
  const paramsOf = (count: number) =>
    Object.fromEntries(Array.from({ length: count }, (_, index) => [`p${index}`, index]));

  it('answers 1400 saying the limit for params with 1001 keys, echo kept, and never runs the action', async () => {
    const response = await router.handle({
      action: 'send_private_msg',
      params: { user_id: 1, message: 'x', ...paramsOf(999) },
      echo: 7,
    });
    expect(response).toMatchObject({
      status: 'failed',
      retcode: 1400,
      message: '"params" has more than 1000 parameters; send at most 1000',
      echo: 7,
    });
    expect(calls).toEqual([]);
  });

  it('runs a call with exactly 1000 keys, and _async / _rate_limited calls are checked the same way', async () => {
    const atLimit = await router.handle({
      action: 'send_private_msg',
      params: { user_id: 1, message: 'x', ...paramsOf(998) },
    });
    expect(atLimit.retcode).toBe(0);
    const suffixed = await router.handle({
      action: 'send_private_msg_async',
      params: { user_id: 1, message: 'x', ...paramsOf(999) },
    });
    expect(suffixed.retcode).toBe(1400);
  });
});

describe('request shape', () => {
  it.each([
    ['null', null],
    ['an array', [{ action: 'echo_params' }]],
    ['a string', 'echo_params'],
    ['a number', 5],
    ['nothing', undefined],
  ])('answers 1400 for a request that is %s', async (what, request) => {
    const response = await router.handle(request);
    expect(response).toEqual({
      status: 'failed',
      retcode: 1400,
      data: null,
      message: expect.stringContaining('request must be a JSON object'),
      wording: expect.any(String),
    });
    expect(response.message).toContain(`got ${what}`);
  });

  it.each([
    [{}, 'it is missing'],
    [{ action: '' }, 'it is empty'],
    [{ action: 42 }, 'got a number'],
    [{ action: ['send_msg'] }, 'got an array'],
  ])('answers 1400 for a bad action field %j', async (request, reason) => {
    const response = await router.handle(request);
    expect(response.retcode).toBe(1400);
    expect(response.message).toBe(`field "action" must be a non-empty string (${reason})`);
  });

  it.each([
    [[1, 2], 'an array'],
    ['group_id=1', 'a string'],
    [7, 'a number'],
  ])('answers 1400 when params is %j', async (params, what) => {
    const response = await router.handle({ action: 'echo_params', params });
    expect(response.retcode).toBe(1400);
    expect(response.message).toBe(`field "params" must be an object of named parameters, got ${what}`);
  });

  it('treats missing or null params as no params', async () => {
    expect(await router.handle({ action: 'echo_params' })).toMatchObject({ retcode: 0, data: {} });
    expect(await router.handle({ action: 'echo_params', params: null })).toMatchObject({
      retcode: 0,
      data: {},
    });
  });
});

describe('retcodes', () => {
  it('answers ok with data, and data null when a handler returns nothing', async () => {
    expect(await router.handle({ action: 'echo_params', params: { a: 1 } })).toEqual({
      status: 'ok',
      retcode: 0,
      data: { a: 1 },
      message: '',
      wording: '',
    });
    expect((await router.handle({ action: 'get_nothing' })).data).toBeNull();
  });

  it('answers 1404 naming an unknown action', async () => {
    const response = await router.handle({ action: 'get_weather' });
    expect(response).toMatchObject({ status: 'failed', retcode: 1404, data: null });
    expect(response.message).toContain('unknown action "get_weather"');
    expect(response.wording).toBe(response.message);
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'answers 1404 for %s: object internals are not actions',
    async (action) => {
      expect(await router.handle({ action, params: { a: 1 } })).toMatchObject({ retcode: 1404 });
      expect(await router.handle({ action: `${action}_async` })).toMatchObject({ retcode: 1404 });
    },
  );

  it('answers 100 with the reason for an expected failure, without logging an error', async () => {
    const response = await router.handle({ action: 'always_fails' });
    expect(response).toMatchObject({
      status: 'failed',
      retcode: 100,
      message: 'user 123 is not in group 456; check the ids',
    });
    expect(logger.records.filter((r) => r.level === 'error')).toEqual([]);
  });

  it('answers the retcode of whatever OneBotError a handler throws', async () => {
    router.register('too_big', () => {
      throw new OneBotError('PAYLOAD_TOO_LARGE', 'the file is over 100 MiB');
    });
    router.register('forbidden', () => {
      throw new OneBotError('FORBIDDEN', 'not allowed');
    });
    expect(await router.handle({ action: 'too_big' })).toMatchObject({
      retcode: 1429,
      message: 'the file is over 100 MiB',
    });
    expect(await router.handle({ action: 'forbidden' })).toMatchObject({ retcode: 1403 });
  });

  it('answers 1500 for an unexpected throw and logs it with its stack', async () => {
    const response = await router.handle({ action: 'always_throws', echo: 1 });
    expect(response).toMatchObject({ status: 'failed', retcode: 1500, data: null, echo: 1 });
    expect(response.message).toContain('kaboom');
    const errors = logger.records.filter((r) => r.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.obj.action).toBe('always_throws');
    const err = errors[0]!.obj.err as Error;
    expect(err).toBeInstanceOf(Error);
    expect(err.stack).toContain('action-router.test.ts');
  });

  it('answers 1500 for a rejected promise and for a thrown non-Error', async () => {
    expect(await router.handle({ action: 'rejects' })).toMatchObject({
      retcode: 1500,
      message: expect.stringContaining('async kaboom'),
    });
    router.register('throws_string', () => {
      throw 'a string';
    });
    expect(await router.handle({ action: 'throws_string' })).toMatchObject({
      retcode: 1500,
      message: expect.stringContaining('a string'),
    });
    expect(logger.records.filter((r) => r.level === 'error')).toHaveLength(2);
  });

  it('never rejects, even when the thrown value and the logger are hostile', async () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('getter trap');
        },
      },
    );
    const brokenLogger: Logger = {
      ...createRecordingLogger(),
      error: () => {
        throw new Error('logger down');
      },
    };
    const local = createActionRouter({ logger: brokenLogger });
    local.register('hostile', () => {
      throw hostile;
    });
    const response = await local.handle({ action: 'hostile', echo: 'e' });
    expect(response).toMatchObject({ status: 'failed', retcode: 1500, echo: 'e' });
    local.dispose();
  });
});

describe('parameter coercion', () => {
  it('turns numeric strings into ids and boolean words into booleans', async () => {
    const response = await router.handle({
      action: 'send_group_msg',
      params: { group_id: ' 123 ', message: 'hi', auto_escape: 'yes' },
    });
    expect(response.retcode).toBe(0);
    expect(calls[0]).toEqual({
      action: 'send_group_msg',
      params: { group_id: 123, message: 'hi', auto_escape: true },
    });
  });

  it.each([
    ['true', true],
    ['false', false],
    ['1', true],
    ['0', false],
    ['yes', true],
    ['no', false],
    [1, true],
    [0, false],
  ])('reads %j as the boolean %s', async (word, expected) => {
    await router.handle({
      action: 'send_private_msg',
      params: { user_id: 1, message: 'x', auto_escape: word },
    });
    expect(calls.at(-1)!.params.auto_escape).toBe(expected);
  });

  it('fills defaults and keeps unknown extra params (cq-websocket spreads the whole event)', async () => {
    await router.handle({
      action: 'set_group_ban',
      params: { group_id: '1', user_id: '2', post_type: 'message', raw_message: 'x' },
    });
    expect(calls[0]!.params).toEqual({
      group_id: 1,
      user_id: 2,
      duration: 1800,
      post_type: 'message',
      raw_message: 'x',
    });
  });

  it('names a missing required param and its type', async () => {
    const response = await router.handle({ action: 'send_group_msg', params: { message: 'hi' } });
    expect(response).toMatchObject({
      status: 'failed',
      retcode: 1400,
      message: 'param "group_id" is required (integer)',
    });
    expect(calls).toEqual([]);
  });

  it.each([
    [{ group_id: 'abc', message: 'x' }, 'param "group_id" must be an integer, got "abc"'],
    [{ group_id: 1.5, message: 'x' }, 'param "group_id" must be an integer, got 1.5'],
    [
      { group_id: '99999999999999999999', message: 'x' },
      'param "group_id" must be an integer, got "99999999999999999999"',
    ],
    [
      { group_id: 1, message: true },
      'param "message" must be a message (CQ string, segment or segment array), got true',
    ],
    [
      { group_id: 1, message: 'x', auto_escape: 'maybe' },
      'param "auto_escape" must be a boolean (true/false, 1/0, yes/no), got "maybe"',
    ],
  ])('refuses %j with a message that says what to send', async (params, message) => {
    const response = await router.handle({ action: 'send_group_msg', params });
    expect(response).toMatchObject({ retcode: 1400, message });
  });

  it('treats null and an empty string as absent for an optional id', async () => {
    await router.handle({ action: 'send_private_msg', params: { user_id: 1, group_id: '', message: 'x' } });
    await router.handle({ action: 'send_private_msg', params: { user_id: 1, group_id: null, message: 'x' } });
    expect(calls.map((c) => Object.hasOwn(c.params, 'group_id'))).toEqual([false, false]);
  });

  it('uses the schema given at registration over the standard one', async () => {
    router.register('send_group_msg', (params) => params, { group_id: { type: 'string', required: true } });
    expect(await router.handle({ action: 'send_group_msg', params: { group_id: 5 } })).toMatchObject({
      retcode: 0,
      data: { group_id: '5' },
    });
  });

  it('merges schemas given as an option over the standard catalogue', async () => {
    const local = createActionRouter({ schemas: { my_action: { count: { type: 'integer', default: 1 } } } });
    local.register('my_action', (params) => params);
    local.register('send_group_msg', (params) => params);
    expect((await local.handle({ action: 'my_action', params: { count: '3' } })).data).toEqual({ count: 3 });
    expect((await local.handle({ action: 'my_action' })).data).toEqual({ count: 1 });
    expect(await local.handle({ action: 'send_group_msg', params: { message: 'x' } })).toMatchObject({
      retcode: 1400,
    });
    local.dispose();
  });

  it('passes params untouched for an action without a schema', async () => {
    const params = { a: '1', b: 'yes' };
    expect((await router.handle({ action: 'echo_params', params })).data).toEqual(params);
  });
});

describe('_async', () => {
  it('answers {status:"async", retcode:1, data:null} at once and runs the action in the background', async () => {
    const gate = deferred();
    const started = vi.fn();
    router.register('slow', async (params) => {
      started(params);
      await gate.promise;
      return 'done';
    });
    const response = await router.handle({ action: 'slow_async', params: { x: 1 }, echo: 'a1' });
    expect(response).toEqual({
      status: 'async',
      retcode: 1,
      data: null,
      message: '',
      wording: '',
      echo: 'a1',
    });
    await settle();
    expect(started).toHaveBeenCalledWith({ x: 1 });
    gate.resolve();
  });

  it('coerces params first and answers a bad request at once instead of running it', async () => {
    const response = await router.handle({
      action: 'send_group_msg_async',
      params: { group_id: 'x', message: 'hi' },
      echo: 0,
    });
    expect(response).toMatchObject({
      retcode: 1400,
      echo: 0,
      message: 'param "group_id" must be an integer, got "x"',
    });
    await settle();
    expect(calls).toEqual([]);

    await router.handle({ action: 'send_group_msg_async', params: { group_id: '7', message: 'hi' } });
    await settle();
    expect(calls).toEqual([
      { action: 'send_group_msg', params: { group_id: 7, message: 'hi', auto_escape: false } },
    ]);
  });

  it('logs a background failure as a warning and a background bug as an error', async () => {
    await router.handle({ action: 'always_fails_async' });
    await router.handle({ action: 'always_throws_async' });
    await settle();
    expect(logger.records.some((r) => r.level === 'warn' && r.msg.includes('always_fails'))).toBe(true);
    expect(logger.records.some((r) => r.level === 'error' && r.obj.action === 'always_throws')).toBe(true);
  });

  it('answers 1404 when the base action is unknown', async () => {
    expect(await router.handle({ action: 'get_weather_async' })).toMatchObject({ retcode: 1404 });
    expect(await router.handle({ action: '_async' })).toMatchObject({ retcode: 1404 });
  });

  it('runs a handler registered under the suffixed name itself', async () => {
    router.register('report_async', () => 'own handler');
    expect(await router.handle({ action: 'report_async' })).toMatchObject({
      retcode: 0,
      data: 'own handler',
    });
  });
});

describe('_rate_limited', () => {
  it('answers async at once and runs the calls one per interval, in order', async () => {
    vi.useFakeTimers();
    makeRouter({ rateLimitIntervalMs: 500 });
    const responses = await Promise.all(
      [1, 2, 3].map((n) =>
        router.handle({
          action: 'send_group_msg_rate_limited',
          params: { group_id: n, message: 'x' },
          echo: n,
        }),
      ),
    );
    expect(responses.map((r) => [r.status, r.retcode, r.echo])).toEqual([
      ['async', 1, 1],
      ['async', 1, 2],
      ['async', 1, 3],
    ]);
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.map((c) => c.params.group_id)).toEqual([1]);
    await vi.advanceTimersByTimeAsync(499);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls.map((c) => c.params.group_id)).toEqual([1, 2]);
    await vi.advanceTimersByTimeAsync(500);
    expect(calls.map((c) => c.params.group_id)).toEqual([1, 2, 3]);
  });

  it('answers 1429 once the queue is full, and takes calls again once it drains', async () => {
    vi.useFakeTimers();
    makeRouter({ rateLimitIntervalMs: 100, rateLimitQueueSize: 2 });
    const send = (n: number) =>
      router.handle({
        action: 'send_group_msg_rate_limited',
        params: { group_id: n, message: 'x' },
        echo: n,
      });
    // The first call starts at once; two more wait; the fourth finds the queue full.
    const answers = [await send(1), await send(2), await send(3), await send(4)];
    expect(answers.map((a) => a.retcode)).toEqual([1, 1, 1, 1429]);
    expect(answers[3]!.message).toContain('queue is full (2 calls waiting)');
    expect(answers[3]!.echo).toBe(4);
    await vi.advanceTimersByTimeAsync(200);
    expect(calls.map((c) => c.params.group_id)).toEqual([1, 2, 3]);
    expect((await send(5)).retcode).toBe(1);
  });

  it('answers 1429 once the queued params pass rateLimitQueueBytes, and takes calls again once it drains', async () => {
    vi.useFakeTimers();
    makeRouter({ rateLimitIntervalMs: 100, rateLimitQueueBytes: 1000 });
    const send = (n: number) =>
      router.handle({
        action: 'send_group_msg_rate_limited',
        params: { group_id: n, message: 'x'.repeat(400) },
        echo: n,
      });
    // Each call's params are 447 bytes as JSON once coerced (auto_escape added). The first starts at once; two
    // more wait (894 bytes); the fourth would make 1341.
    const answers = [await send(1), await send(2), await send(3), await send(4)];
    expect(answers.map((a) => a.retcode)).toEqual([1, 1, 1, 1429]);
    expect(answers[3]!.message).toBe(
      'the _rate_limited queue is full (894 bytes of params waiting, this call adds 447, the limit is 1000); retry later or send a smaller call',
    );
    expect(answers[3]!.echo).toBe(4);
    await vi.advanceTimersByTimeAsync(200);
    expect(calls.map((c) => c.params.group_id)).toEqual([1, 2, 3]);
    expect((await send(5)).retcode).toBe(1);
  });

  it('bounds the queue at 16 MiB of params by default, far below the 1000-call count for big calls', async () => {
    vi.useFakeTimers();
    makeRouter({ rateLimitIntervalMs: 500 });
    const twoMiB = 'x'.repeat(2 * 1024 * 1024);
    let accepted = 0;
    for (let n = 1; n <= 100; n += 1) {
      const answer = await router.handle({
        action: 'send_group_msg_rate_limited',
        params: { group_id: n, message: twoMiB },
      });
      if (answer.retcode !== 1) {
        expect(answer.retcode).toBe(1429);
        break;
      }
      accepted += 1;
    }
    // One runs at once, seven wait (just under 16 MiB): the ninth is refused.
    expect(accepted).toBe(8);
  });

  it('drops queued calls on dispose', async () => {
    vi.useFakeTimers();
    makeRouter({ rateLimitIntervalMs: 100 });
    for (const n of [1, 2, 3])
      await router.handle({ action: 'send_group_msg_rate_limited', params: { group_id: n, message: 'x' } });
    router.dispose();
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls.map((c) => c.params.group_id)).toEqual([1]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('coerces first: a bad call is answered 1400 and never queued', async () => {
    const response = await router.handle({ action: 'send_group_msg_rate_limited', params: { message: 'x' } });
    expect(response).toMatchObject({ retcode: 1400, message: 'param "group_id" is required (integer)' });
  });
});

describe('fallback (relays)', () => {
  it('gets unknown actions with coerced params and answers for them, echo added by the router', async () => {
    const fallback = vi.fn(
      async (request: { action: string; params: Record<string, unknown> }): Promise<ActionResponse> => ({
        status: 'ok',
        retcode: 0,
        data: { relayed: request.action },
        message: '',
        wording: '',
      }),
    );
    router.setFallback(fallback);
    const response = await router.handle({ action: 'get_group_info', params: { group_id: '5' }, echo: 'r' });
    expect(response).toEqual({
      status: 'ok',
      retcode: 0,
      data: { relayed: 'get_group_info' },
      message: '',
      wording: '',
      echo: 'r',
    });
    expect(fallback).toHaveBeenCalledWith({
      action: 'get_group_info',
      params: { group_id: 5, no_cache: false },
    });
    expect(router.has('anything')).toBe(true);
  });

  it('never takes actions that have a handler', async () => {
    const fallback = vi.fn();
    router.setFallback(fallback);
    await router.handle({ action: 'echo_params' });
    expect(fallback).not.toHaveBeenCalled();
  });

  it('passes the upstream failure through', async () => {
    router.setFallback(async () => ({
      status: 'failed',
      retcode: 100,
      data: null,
      message: 'no such group',
      wording: '不存在',
    }));
    expect(await router.handle({ action: 'get_group_info', params: { group_id: 1 } })).toEqual({
      status: 'failed',
      retcode: 100,
      data: null,
      message: 'no such group',
      wording: '不存在',
    });
  });

  it('turns a rejected or malformed fallback answer into a logged 1500', async () => {
    router.setFallback(async () => {
      throw new Error('upstream socket closed');
    });
    expect(await router.handle({ action: 'x' })).toMatchObject({
      retcode: 1500,
      message: expect.stringContaining('upstream socket closed'),
    });
    router.setFallback(async () => 'garbage' as unknown as ActionResponse);
    expect(await router.handle({ action: 'x' })).toMatchObject({ retcode: 1500 });
    expect(logger.records.filter((r) => r.level === 'error')).toHaveLength(2);
  });

  it('fills the fields a sloppy upstream left out', async () => {
    router.setFallback(async () => ({ retcode: 0 }) as unknown as ActionResponse);
    expect(await router.handle({ action: 'x' })).toEqual({
      status: 'ok',
      retcode: 0,
      data: null,
      message: '',
      wording: '',
    });
  });

  it('runs _async and _rate_limited locally, calling the fallback with the base action', async () => {
    const seen: string[] = [];
    router.setFallback(async (request) => {
      seen.push(request.action);
      return { status: 'ok', retcode: 0, data: null, message: '', wording: '' };
    });
    expect(await router.handle({ action: 'get_group_list_async' })).toMatchObject({
      retcode: 1,
      status: 'async',
    });
    await settle();
    expect(seen).toEqual(['get_group_list']);
  });

  it('can be removed again', async () => {
    router.setFallback(async () => ({ status: 'ok', retcode: 0, data: null, message: '', wording: '' }));
    router.setFallback(undefined);
    expect((await router.handle({ action: 'x' })).retcode).toBe(1404);
    expect(router.has('x')).toBe(false);
  });
});

describe('registry', () => {
  it('lists registered actions and knows the quick operation', () => {
    expect(router.actions()).toContain('send_msg');
    expect(router.has('send_msg')).toBe(true);
    expect(router.has('.handle_quick_operation')).toBe(true);
    expect(router.has('nope')).toBe(false);
  });
});
