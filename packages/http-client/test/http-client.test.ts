import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FAKE_SELF_ID } from '@onebot-gateway/testkit';
import { toSegments, type Segment } from '@onebot-gateway/core';
import { createHttpClientAdapter } from '../src/index.js';
import { isLifecycle, isMessage, waitUntil, type ReceiverHandler } from './helpers/receiver.js';
import { useFixtures } from './helpers/fixtures.js';

const { receiver, backend, started } = useFixtures();

const replyWith =
  (status: number, body: string, contentType = 'application/json'): ReceiverHandler =>
  (request, response) => {
    if (!isMessage(request)) return void response.writeHead(204).end();
    response.writeHead(status, { 'content-type': contentType }).end(body);
  };

describe('http-client: posting events', () => {
  it('posts lifecycle enable, then each event with the OneBot headers and no auth when no token is set', async () => {
    const r = await receiver();
    const b = backend();
    await started(b, { url: r.url });
    await r.until((reqs) => reqs.some(isLifecycle('enable')));
    const event = b.emitMessage({ message_id: 7 });
    await r.until((reqs) => reqs.some(isMessage));

    expect(r.requests[0]?.json).toMatchObject({
      post_type: 'meta_event',
      meta_event_type: 'lifecycle',
      sub_type: 'enable',
      self_id: FAKE_SELF_ID,
    });
    const posted = r.requests.find(isMessage);
    expect(posted?.method).toBe('POST');
    expect(posted?.url).toBe('/onebot');
    expect(posted?.headers['content-type']).toBe('application/json');
    expect(posted?.headers['x-self-id']).toBe(String(FAKE_SELF_ID));
    expect(posted?.headers['user-agent']).toMatch(/^OneBot\/11/);
    expect(posted?.headers.authorization).toBeUndefined();
    expect(posted?.headers['x-signature']).toBeUndefined();
    expect(posted?.json).toMatchObject({
      message_id: event.message_id,
      message_format: 'array',
      message: event.message,
    });
  });

  it('with a token, sends Bearer auth and an X-Signature over exactly the bytes received', async () => {
    const r = await receiver();
    const b = backend();
    await started(b, { url: r.url, token: 's3cret' });
    b.emitMessage({ message: [{ type: 'text', data: { text: 'héllo [x] 😀' } }] });
    await r.until((reqs) => reqs.some(isMessage));
    for (const request of r.requests) {
      expect(request.headers.authorization).toBe('Bearer s3cret');
      const expected = `sha1=${createHmac('sha1', 's3cret').update(request.body).digest('hex')}`;
      expect(request.headers['x-signature']).toBe(expected);
    }
    expect(b.logger.text()).not.toContain('s3cret');
  });

  it('honours messagePostFormat "string" and reportSelfMessage', async () => {
    const r = await receiver();
    const b = backend();
    await started(b, { url: r.url, messagePostFormat: 'string' });
    b.emitSelfMessage();
    b.emitMessage({ message: [{ type: 'face', data: { id: '1' } }] });
    await r.until((reqs) => reqs.some(isMessage));
    const withSelf = await receiver();
    await started(b, { name: 'with-self', url: withSelf.url, reportSelfMessage: true });
    b.emitSelfMessage();
    await withSelf.until((reqs) => reqs.some((q) => q.json.post_type === 'message_sent'));

    const messages = r.requests.filter(isMessage);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.json).toMatchObject({
      post_type: 'message',
      message: '[CQ:face,id=1]',
      message_format: 'string',
    });
  });

  it('posts to several URLs at once, each adapter on its own', async () => {
    const receivers = await Promise.all([receiver(), receiver(), receiver()]);
    const b = backend();
    for (const [i, r] of receivers.entries()) await started(b, { name: `client-${i}`, url: r.url });
    for (let i = 0; i < 20; i += 1) b.emitMessage({ message_id: 100 + i });
    for (const r of receivers) {
      await r.until((reqs) => reqs.filter(isMessage).length === 20);
      expect(new Set(r.requests.filter(isMessage).map((q) => q.json.message_id)).size).toBe(20);
    }
  });

  it('posts disable when it stops, and start/stop are idempotent', async () => {
    const r = await receiver();
    const b = backend();
    const adapter = await started(b, { url: r.url });
    await adapter.start();
    await Promise.all([adapter.stop(), adapter.stop()]);
    await adapter.stop();
    expect(r.requests.filter(isLifecycle('enable'))).toHaveLength(1);
    expect(r.requests.filter(isLifecycle('disable'))).toHaveLength(1);
    expect(r.requests.at(-1)?.json.sub_type).toBe('disable');
    expect(adapter.status().state).toBe('stopped');
    b.emitMessage();
    expect(adapter.status().queued).toBe(0);
  });

  it('posts heartbeats every heartInterval with a numeric interval, and none by default', async () => {
    const r = await receiver();
    const quiet = await receiver();
    const b = backend();
    await started(b, { url: r.url, heartInterval: 30 });
    await started(b, { name: 'quiet', url: quiet.url });
    await r.until((reqs) => reqs.filter((q) => q.json.meta_event_type === 'heartbeat').length >= 3);
    const beat = r.requests.find((q) => q.json.meta_event_type === 'heartbeat');
    expect(beat?.json).toMatchObject({
      interval: 30,
      status: { online: true, good: true },
      self_id: FAKE_SELF_ID,
    });
    expect(quiet.requests.some((q) => q.json.meta_event_type === 'heartbeat')).toBe(false);
  });

  it('refuses a URL that is not http(s) with a clear error naming the entry, without leaking the token', () => {
    const b = backend();
    const create = (): unknown =>
      createHttpClientAdapter(
        { name: 'bad', url: 'ftp://example.invalid/?access_token=zzz', token: 'zzz' },
        b.context('bad'),
      );
    expect(create).toThrow(/httpClients\["bad"\]\.url: expected an http:\/\/ or https:\/\/ URL/);
    expect(create).not.toThrow(/zzz/);
  });

  it('coerces NapCat-style string values and fills defaults', async () => {
    const r = await receiver();
    const b = backend();
    const adapter = await started(b, {
      url: r.url,
      timeout: '1000',
      retries: '2',
      stopTimeout: '300',
    } as never);
    await r.until((reqs) => reqs.some(isLifecycle('enable')));
    expect(adapter.status()).toMatchObject({ state: 'running', dropped: 0 });
  });

  it('debug logs every request and answer at info level, tokens redacted; other adapters stay quiet', async () => {
    const r = await receiver(replyWith(200, '{"reply":"ok"}'));
    const b = backend();
    await started(b, { name: 'loud', url: `${r.url}?access_token=tok123`, token: 'tok123', debug: true });
    await started(b, { name: 'quiet', url: r.url });
    b.emitMessage();
    await waitUntil(
      () => b.logger.records.filter((x) => x.msg === 'POST answered').length >= 2,
      'debug answer lines',
    );
    const debugLines = b.logger.records.filter((x) => x.msg === 'POST event' || x.msg === 'POST answered');
    expect(debugLines.every((x) => x.bindings.adapter === 'loud' && x.level === 'info')).toBe(true);
    expect(b.logger.text()).not.toContain('tok123');
  });
});

describe('http-client: quick operations in the reply', () => {
  it('runs a group reply with at_sender, delete, kick and ban through the router', async () => {
    const r = await receiver(
      replyWith(
        200,
        JSON.stringify({
          reply: 'hi [CQ:face,id=1]',
          auto_escape: true,
          at_sender: true,
          delete: true,
          kick: true,
          ban: true,
        }),
      ),
    );
    const b = backend();
    const adapter = await started(b, { url: r.url });
    b.emitMessage({ message_type: 'group', group_id: 555, user_id: 42, message_id: 9 });
    await waitUntil(() => b.calls.length >= 4, 'four quick-operation actions');
    expect(b.calls.map((c) => c.action).sort()).toEqual([
      'delete_msg',
      'send_group_msg',
      'set_group_ban',
      'set_group_kick',
    ]);
    const send = b.calls.find((c) => c.action === 'send_group_msg');
    expect(send?.params).toMatchObject({ group_id: 555 });
    expect(JSON.stringify(send?.params.message)).toContain('"qq":"42"');
    // auto_escape: the CQ code in the reply is text, not a face.
    const segments = toSegments(send?.params.message as string | Segment[]);
    expect(segments.some((segment) => segment.type === 'face')).toBe(false);
    expect(
      segments
        .filter((segment) => segment.type === 'text')
        .map((segment) => segment.data.text)
        .join(''),
    ).toContain('hi [CQ:face,id=1]');
    expect(b.calls.find((c) => c.action === 'set_group_ban')?.params).toMatchObject({ duration: 1800 });
    expect(adapter.status().actionsHandled).toBe(1);
  });

  it('approves a friend request with a remark', async () => {
    const r = await receiver((request, response) => {
      if (request.json.post_type !== 'request') return void response.writeHead(204).end();
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"approve":true,"remark":"pal"}');
    });
    const b = backend();
    await started(b, { url: r.url });
    b.emit({
      time: 1,
      self_id: FAKE_SELF_ID,
      post_type: 'request',
      request_type: 'friend',
      user_id: 77,
      comment: 'hi',
      flag: 'f-1',
    });
    await waitUntil(() => b.calls.length >= 1, 'set_friend_add_request');
    expect(b.calls[0]).toMatchObject({
      action: 'set_friend_add_request',
      params: { flag: 'f-1', approve: true, remark: 'pal' },
    });
  });

  it.each([
    ['a 204', 204, ''],
    ['an empty 200', 200, ''],
    ['a JSON array', 200, '[{"reply":"x"}]'],
    ['JSON null', 200, 'null'],
    ['a JSON string', 200, '"reply"'],
    ['an empty object', 200, '{}'],
    ['garbage text', 200, '{not json at all'],
    ['plain text', 200, 'ok'],
  ])('treats %s as nothing to do, silently', async (_label, status, body) => {
    const r = await receiver(replyWith(status, body, 'text/plain'));
    const b = backend();
    const adapter = await started(b, { url: r.url });
    b.emitMessage();
    await waitUntil(() => adapter.status().eventsSent >= 2, 'the event to be delivered');
    expect(b.calls).toEqual([]);
    expect(adapter.status().actionsHandled).toBe(0);
    expect(b.logger.records.filter((x) => x.level === 'warn' || x.level === 'error')).toEqual([]);
  });

  it('logs a quick operation that fails (unknown target) instead of crashing', async () => {
    const r = await receiver(replyWith(200, '{"reply":"x"}'));
    const b = backend();
    b.router.register('send_private_msg', () => {
      throw new Error('backend exploded');
    });
    const adapter = await started(b, { url: r.url });
    b.emitMessage();
    await waitUntil(() => adapter.status().actionsHandled >= 1, 'the quick operation');
    expect(b.logger.records.some((x) => x.level === 'warn' && x.msg.includes('quick operation'))).toBe(true);
  });
});
