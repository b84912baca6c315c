import { describe, expect, it } from 'vitest';
import { SELF_ID, defaultAnswer, until } from './fake-upstream.js';
import { useRelayScope } from './relay-scope.js';

describe('upstream backend', () => {
  const t = useRelayScope();
  const relay = t.relay;

  it('learns self_id with get_login_info and sends the token as Bearer', async () => {
    await relay({ token: 's3cret' });
    expect(t.backend.selfId()).toBe(SELF_ID);
    expect(t.upstream.authorizations).toEqual(['Bearer s3cret']);
    expect(t.backend.status()).toMatchObject({ online: true, good: true });
  });

  it('sends no Authorization header without a token', async () => {
    await relay();
    expect(t.upstream.authorizations).toEqual([undefined]);
  });

  it('routes actions upstream with its own echo and gives the client its echo back', async () => {
    await relay();
    const response = await t.router.handle({ action: 'echo_params', params: { a: 1 }, echo: { mine: true } });
    expect(response).toMatchObject({ status: 'ok', retcode: 0, data: { a: 1 }, echo: { mine: true } });
    const sent = t.upstream.received.find((r) => r.action === 'echo_params')!;
    expect(typeof sent.echo).toBe('string');
    expect(sent.echo).not.toEqual({ mine: true });
  });

  it('normalises go-cqhttp style answers (msg instead of message)', async () => {
    await relay();
    const response = await t.router.handle({ action: 'gocq_style_failure', echo: 7 });
    expect(response).toMatchObject({
      status: 'failed',
      retcode: 100,
      message: 'GROUP_NOT_FOUND',
      wording: 'GROUP_NOT_FOUND',
      echo: 7,
    });
  });

  it('correlates concurrent answers that arrive out of order', async () => {
    await relay();
    const held: Array<Record<string, unknown>> = [];
    t.upstream.answer = (request) => {
      held.push(request);
      if (held.length === 3) {
        for (const r of [...held].reverse())
          t.upstream.sockets[0]!.send(
            JSON.stringify({ status: 'ok', retcode: 0, data: r.params, echo: r.echo }),
          );
      }
      return undefined;
    };
    const answers = await Promise.all(
      [1, 2, 3].map((n) => t.router.handle({ action: 'echo_params', params: { n }, echo: n })),
    );
    expect(answers.map((a) => [a.echo, (a.data as { n: number }).n])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
  });

  it('fails an action the upstream never answers after the timeout, with retcode 100', async () => {
    await relay({ timeout: 100 });
    const response = await t.router.handle({ action: 'never_answers', echo: 'x' });
    expect(response).toMatchObject({ status: 'failed', retcode: 100, echo: 'x' });
    expect(response.message).toMatch(/did not answer "never_answers" within 100 ms/);
  });

  it('publishes message events as segments with raw_message and keeps unknown fields', async () => {
    await relay();
    t.upstream.broadcast({
      time: 1,
      self_id: SELF_ID,
      post_type: 'message',
      message_type: 'private',
      sub_type: 'friend',
      message_id: 5,
      user_id: 7,
      message: 'hello',
      message_format: 'string',
      font: 0,
      sender: { user_id: 7, nickname: 'A' },
      napcat_extra: { x: 1 },
    });
    await until(() => t.published.length === 1, 'the message event');
    expect(t.published[0]).toMatchObject({
      post_type: 'message',
      message: [{ type: 'text', data: { text: 'hello' } }],
      raw_message: 'hello',
      message_format: 'array',
      napcat_extra: { x: 1 },
    });
  });

  it('does not re-publish upstream meta events but learns health from heartbeats', async () => {
    await relay();
    t.upstream.broadcast({
      time: 1,
      self_id: SELF_ID,
      post_type: 'meta_event',
      meta_event_type: 'heartbeat',
      interval: 5000,
      status: { online: false, good: false },
    });
    t.upstream.broadcast({
      time: 1,
      self_id: SELF_ID,
      post_type: 'notice',
      notice_type: 'friend_add',
      user_id: 9,
    });
    await until(() => t.published.length === 1, 'the notice');
    expect(t.published.map((e) => e.post_type)).toEqual(['notice']);
    expect(t.backend.status()).toMatchObject({ online: false, good: false });
  });

  it('fails pending calls on disconnect, answers clearly while down, and reconnects', async () => {
    await relay({ reconnectInterval: 50, timeout: 5_000 });
    t.upstream.answer = () => undefined;
    const inFlight = t.router.handle({ action: 'never_answers', echo: 1 });
    await until(
      () => t.upstream.received.some((r) => r.action === 'never_answers'),
      'the call to reach the upstream',
    );
    t.upstream.sockets[0]!.terminate();
    const failed = await inFlight;
    expect(failed).toMatchObject({ status: 'failed', retcode: 100, echo: 1 });
    expect(failed.message).toMatch(/closed before it answered/);

    t.upstream.answer = defaultAnswer;
    await until(() => t.backend.connected(), 'the reconnection');
    const again = await t.router.handle({ action: 'echo_params', params: { back: true } });
    expect(again).toMatchObject({ retcode: 0, data: { back: true } });
  });

  it('answers "not connected" at once when the upstream is down, and start() still resolves', async () => {
    const backend = t.create({ url: await t.deadUrl(), reconnectInterval: 60_000 });
    await backend.start();
    const response = await t.router.handle({ action: 'get_status' });
    expect(response).toMatchObject({ status: 'failed', retcode: 100 });
    expect(response.message).toMatch(/is not connected/);
    expect(backend.status()).toMatchObject({ online: false });
  });

  it('says when it retries while the upstream is down, and nothing of it once connected or stopped', async () => {
    const backend = t.create({ url: await t.deadUrl(), reconnectInterval: 60_000 });
    await backend.start();
    const { upstream: waiting } = backend.status() as unknown as { upstream: Record<string, unknown> };
    expect(waiting).toMatchObject({ state: 'reconnecting', connected: false, reconnects: 0 });
    const due = Date.parse(waiting.nextRetryAt as string);
    expect(due).toBeGreaterThan(Date.now() + 55_000);
    expect(due).toBeLessThanOrEqual(Date.now() + 61_000);
    await backend.stop();
    expect(backend.status()).toMatchObject({ upstream: { state: 'stopped' } });
    expect((backend.status() as unknown as { upstream: object }).upstream).not.toHaveProperty('nextRetryAt');

    await relay();
    expect(t.backend.status()).toMatchObject({ upstream: { state: 'connected' } });
    expect((t.backend.status() as unknown as { upstream: object }).upstream).not.toHaveProperty(
      'nextRetryAt',
    );
  });

  it('refuses a URL that is not ws:// with an error naming the key', async () => {
    const backend = t.create({ url: 'http://x' });
    await expect(backend.start()).rejects.toThrow(/gateway\.backend\.url/);
  });

  it('bounds the number of actions waiting for the upstream', async () => {
    await relay({ maxPendingActions: 2, timeout: 5_000 });
    t.upstream.answer = () => undefined;
    const waiting = [
      t.router.handle({ action: 'never_answers' }),
      t.router.handle({ action: 'never_answers' }),
    ];
    const refused = await t.router.handle({ action: 'never_answers', echo: 'third' });
    expect(refused).toMatchObject({ retcode: 1429, echo: 'third' });
    await t.backend.stop();
    expect((await Promise.all(waiting)).map((r) => r.retcode)).toEqual([100, 100]);
  });

  it('never logs the token, neither the configured one nor one in the URL', async () => {
    const upstream = await t.startUpstream();
    const lines: string[] = [];
    const logger = {
      trace: (...args: unknown[]) => lines.push(JSON.stringify(args)),
      debug: (...args: unknown[]) => lines.push(JSON.stringify(args)),
      info: (...args: unknown[]) => lines.push(JSON.stringify(args)),
      warn: (...args: unknown[]) => lines.push(JSON.stringify(args)),
      error: (...args: unknown[]) => lines.push(JSON.stringify(args)),
      fatal: (...args: unknown[]) => lines.push(JSON.stringify(args)),
      child: () => logger,
    };
    const backend = t.create(
      { url: `${upstream.url}/?access_token=urlsecret`, token: 'headersecret' },
      logger,
    );
    await backend.start();
    expect(lines.join('\n')).toMatch(/connected to upstream/);
    expect(lines.join('\n')).not.toMatch(/urlsecret|headersecret/);
    expect(JSON.stringify(backend.status())).not.toMatch(/urlsecret|headersecret/);
  });

  it('ignores frames that are not JSON and answers nobody waits for', async () => {
    await relay();
    t.upstream.sockets[0]!.send('not json');
    t.upstream.sockets[0]!.send(JSON.stringify({ status: 'ok', retcode: 0, data: null, echo: 'foreign' }));
    const response = await t.router.handle({ action: 'echo_params', params: { still: 'fine' } });
    expect(response.data).toEqual({ still: 'fine' });
  });
});
