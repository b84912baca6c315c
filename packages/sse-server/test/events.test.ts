import { afterEach, describe, expect, it } from 'vitest';
import { connect, startSseServer, stopAllSse, waitFor } from './helpers.js';

afterEach(stopAllSse);

describe('sse-server /_events', () => {
  it('streams with the SSE headers, lifecycle connect first, then events with increasing ids', async () => {
    const { url, backend } = await startSseServer();
    const stream = await connect(`${url}/_events`);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.headers.get('cache-control')).toBe('no-cache');
    expect(stream.headers.get('x-accel-buffering')).toBe('no');
    const first = await stream.next();
    expect(first.json).toMatchObject({
      post_type: 'meta_event',
      meta_event_type: 'lifecycle',
      sub_type: 'connect',
      self_id: 10001,
    });
    expect(first.id).toBe('0');
    const sent = backend.emitMessage({ message_type: 'group', group_id: 5 });
    const second = backend.emitMessage();
    const a = await stream.next();
    const b = await stream.next();
    expect(a.json).toMatchObject({
      post_type: 'message',
      message_id: sent.message_id,
      group_id: 5,
      message_format: 'array',
    });
    expect(b.json.message_id).toBe(second.message_id);
    expect(Number(b.id)).toBe(Number(a.id) + 1);
    expect(Number(a.id)).toBeGreaterThan(0);
  });

  it('accepts a trailing slash', async () => {
    const { url } = await startSseServer();
    const stream = await connect(`${url}/_events/`);
    expect((await stream.next()).json.sub_type).toBe('connect');
  });

  it('honours messagePostFormat "string"', async () => {
    const { url, backend } = await startSseServer({ messagePostFormat: 'string' });
    const stream = await connect(`${url}/_events`);
    await stream.next();
    backend.emitMessage({
      message: [
        { type: 'text', data: { text: 'a[b]' } },
        { type: 'face', data: { id: '1' } },
      ],
    });
    const event = await stream.next();
    expect(event.json).toMatchObject({ message_format: 'string', message: 'a&#91;b&#93;[CQ:face,id=1]' });
  });

  it("delivers the bot's own messages only with reportSelfMessage", async () => {
    const quiet = await startSseServer({ name: 'quiet' });
    const backend = quiet.backend;
    const loud = await startSseServer({ name: 'loud', reportSelfMessage: true }, backend);
    const q = await connect(`${quiet.url}/_events`);
    const l = await connect(`${loud.url}/_events`);
    await q.next();
    await l.next();
    backend.emitSelfMessage();
    const marker = backend.emitMessage();
    expect((await l.next()).json.post_type).toBe('message_sent');
    expect((await l.next()).json.message_id).toBe(marker.message_id);
    expect((await q.next()).json.message_id).toBe(marker.message_id);
  });

  it('sends ": ping" comments every ssePingInterval', async () => {
    const { url } = await startSseServer({ ssePingInterval: 30 });
    const stream = await connect(`${url}/_events`);
    await stream.next();
    await waitFor(() => stream.comments.filter((c) => c === 'ping').length >= 2);
  });

  it('sends heartbeat meta events with exact types every heartInterval, none when 0', async () => {
    const { url, backend } = await startSseServer({ heartInterval: 40 });
    const stream = await connect(`${url}/_events`);
    await stream.next();
    const beat = await stream.next();
    expect(beat.json).toMatchObject({
      post_type: 'meta_event',
      meta_event_type: 'heartbeat',
      interval: 40,
      status: { online: true, good: true },
    });
    expect(typeof beat.json.interval).toBe('number');

    const off = await startSseServer({ name: 'off', heartInterval: 0, ssePingInterval: 20 }, backend);
    const silent = await connect(`${off.url}/_events`);
    await silent.next();
    await waitFor(() => silent.comments.length >= 3);
    expect(silent.pending()).toHaveLength(0);
  });

  it('sends every event to every stream', async () => {
    const { url, backend, adapter } = await startSseServer();
    const streams = await Promise.all(Array.from({ length: 5 }, () => connect(`${url}/_events`)));
    for (const s of streams) await s.next();
    expect(adapter.status()).toMatchObject({ streams: 5 });
    const ids = Array.from({ length: 20 }, () => backend.emitMessage().message_id);
    for (const s of streams) {
      for (const id of ids) expect((await s.next()).json.message_id).toBe(id);
    }
  });

  it('forgets a stream the client closed', async () => {
    const { url, adapter } = await startSseServer();
    const stream = await connect(`${url}/_events`);
    await stream.next();
    expect(adapter.streamCount()).toBe(1);
    stream.close();
    await waitFor(() => adapter.streamCount() === 0);
  });

  it('debug: true logs streams and events at info level without the token', async () => {
    const token = 'debug-token-value';
    const { url, backend } = await startSseServer({ name: 'loud-sse', debug: true, token });
    const stream = await connect(`${url}/_events?access_token=${token}`);
    await stream.next();
    backend.emitMessage({ message_id: 77 });
    await stream.next();
    const lines = backend.logger.records.filter(
      (r) => r.bindings.adapter === 'loud-sse' && r.level === 'info',
    );
    expect(lines.map((r) => r.msg)).toEqual(
      expect.arrayContaining(['http request', 'sse stream opened', 'sse event']),
    );
    expect(backend.logger.text()).toContain('"message_id\\":77');
    expect(backend.logger.text()).not.toContain(token);
  });

  it('debug: true masks the token inside a logged event, as WebSocket frames do', async () => {
    const token = 'debug-token-in-event';
    const { url, backend } = await startSseServer({ name: 'loud-sse', debug: true, token });
    const stream = await connect(`${url}/_events?access_token=${token}`);
    await stream.next();
    backend.emitMessage({ message_id: 78, message: [{ type: 'text', data: { text: `pasted ${token}` } }] });
    expect((await stream.next()).json.message_id).toBe(78);
    expect(backend.logger.text()).toContain('pasted ***');
    expect(backend.logger.text()).not.toContain(token);
  });

  it('ends every stream on stop() and resolves', async () => {
    const { url, adapter } = await startSseServer();
    const stream = await connect(`${url}/_events`);
    await stream.next();
    await adapter.stop();
    await stream.ended;
    expect(adapter.status()).toMatchObject({ state: 'stopped', connections: 0 });
  });
});
