import { afterEach, describe, expect, it } from 'vitest';
import { connect, startSseServer, stopAllSse, waitFor } from './helpers.js';

afterEach(stopAllSse);

describe('sse-server Last-Event-ID replay', () => {
  it('replays the events a reconnecting client missed (Last-Event-ID header), then goes live', async () => {
    const { url, backend } = await startSseServer();
    const first = await connect(`${url}/_events`);
    await first.next();
    backend.emitMessage({ message_id: 1 });
    await first.next();
    const resumeFrom = first.lastEventId();
    first.close();
    backend.emitMessage({ message_id: 2 });
    backend.emitMessage({ message_id: 3 });

    const again = await connect(`${url}/_events`, { 'last-event-id': resumeFrom });
    const connectEvent = await again.next();
    expect(connectEvent.json.sub_type).toBe('connect');
    expect(connectEvent.id).toBe(resumeFrom);
    expect((await again.next()).json.message_id).toBe(2);
    expect((await again.next()).json.message_id).toBe(3);
    backend.emitMessage({ message_id: 4 });
    expect((await again.next()).json.message_id).toBe(4);
  });

  it('takes a lastEventId query parameter for clients that cannot set headers', async () => {
    const { url, backend } = await startSseServer();
    const first = await connect(`${url}/_events`);
    const connectEvent = await first.next();
    first.close();
    backend.emitMessage({ message_id: 11 });
    const again = await connect(`${url}/_events?lastEventId=${connectEvent.id}`);
    await again.next();
    expect((await again.next()).json.message_id).toBe(11);
  });

  it('replays at most sseReplayBufferSize events and logs the loss', async () => {
    const { url, backend } = await startSseServer({ sseReplayBufferSize: 3 });
    for (let id = 1; id <= 10; id += 1) backend.emitMessage({ message_id: id });
    const stream = await connect(`${url}/_events`, { 'last-event-id': '0' });
    await stream.next();
    const replayed = [await stream.next(), await stream.next(), await stream.next()].map(
      (m) => m.json.message_id,
    );
    expect(replayed).toEqual([8, 9, 10]);
    expect(stream.pending()).toHaveLength(0);
    expect(backend.logger.text()).toMatch(
      /7 events after Last-Event-ID 0 are no longer in the replay buffer/,
    );
  });

  it('keeps a replay under sseReplayBufferBytes, so a reconnect after large events is not cut again and again', async () => {
    // Default cap: min(4 MiB, maxBufferedBytes / 2) = 512 KiB here.
    const maxBufferedBytes = 1024 * 1024;
    const { url, backend, adapter } = await startSseServer({ maxBufferedBytes });
    expect(adapter.currentConfig().sseReplayBufferBytes).toBe(512 * 1024);
    // 800 events of about 16 KiB (the text is in `message` and `raw_message`), all within
    // sseReplayBufferSize (1000): 13 MiB, which written at once would pass the stream's 1 MiB
    // bound even after the loopback kernel buffers took their share.
    const text = 'r'.repeat(8 * 1024);
    const ids = Array.from(
      { length: 800 },
      () => backend.emitMessage({ message: [{ type: 'text', data: { text } }] }).message_id,
    );
    // An EventSource whose stream was cut reconnects with the same Last-Event-ID: both tries must work.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const stream = await connect(`${url}/_events`, { 'last-event-id': '0' });
      expect((await stream.next()).json.sub_type).toBe('connect');
      const replayed: unknown[] = [];
      while (replayed.at(-1) !== ids.at(-1)) replayed.push((await stream.next()).json.message_id);
      // In order and gapless up to the newest; the oldest beyond the byte cap are gone.
      expect(replayed).toEqual(ids.slice(-replayed.length));
      expect(replayed.length).toBeGreaterThan(20);
      expect(replayed.length).toBeLessThanOrEqual(Math.floor((512 * 1024) / (2 * text.length)));
      // Not cut: the stream goes live.
      const live = backend.emitMessage();
      expect((await stream.next()).json.message_id).toBe(live.message_id);
      expect(adapter.streamCount()).toBe(1);
      ids.push(live.message_id);
      stream.close();
      await waitFor(() => adapter.streamCount() === 0);
    }
    expect(backend.logger.text()).not.toMatch(/stopped reading/);
    expect(backend.logger.text()).toMatch(/events after Last-Event-ID 0 are no longer in the replay buffer/);
  });

  it('takes sseReplayBufferBytes from the entry, capped at half of maxBufferedBytes', async () => {
    const { url, backend, adapter } = await startSseServer({ sseReplayBufferBytes: 40 * 1024 });
    const text = 's'.repeat(4 * 1024);
    const ids = Array.from(
      { length: 20 },
      () => backend.emitMessage({ message: [{ type: 'text', data: { text } }] }).message_id,
    );
    const stream = await connect(`${url}/_events`, { 'last-event-id': '0' });
    await stream.next();
    // Frames are a little over 8 KiB (the text twice): four fit in 40 KiB, five do not.
    const replayed = [];
    for (let i = 0; i < 4; i += 1) replayed.push((await stream.next()).json.message_id);
    expect(replayed).toEqual(ids.slice(-4));
    expect(stream.pending()).toHaveLength(0);
    await adapter.reload({ ...adapter.currentConfig(), maxBufferedBytes: 16 * 1024 });
    expect(adapter.currentConfig().sseReplayBufferBytes).toBe(8 * 1024);
  });

  it('streams from now when Last-Event-ID is ahead of the server or not a number', async () => {
    const { url, backend } = await startSseServer();
    backend.emitMessage({ message_id: 1 });
    let latest = 1;
    for (const id of ['999', 'garbage']) {
      const stream = await connect(`${url}/_events`, { 'last-event-id': id });
      expect((await stream.next()).id).toBe(String(latest));
      latest += 1;
      backend.emitMessage({ message_id: 50 });
      expect((await stream.next()).json.message_id).toBe(50);
      stream.close();
    }
  });

  it('resumes across a rebind: seq and the replay buffer survive a port change', async () => {
    const { url, backend, adapter } = await startSseServer();
    const stream = await connect(`${url}/_events`);
    await stream.next();
    backend.emitMessage({ message_id: 1 });
    const last = (await stream.next()).id!;
    await adapter.reload({ ...adapter.currentConfig(), host: '127.0.0.1', enableCors: false });
    await stream.ended;
    backend.emitMessage({ message_id: 2 });
    const newUrl = `http://${adapter.status().address}`;
    const again = await connect(`${newUrl}/_events`, { 'last-event-id': last });
    await again.next();
    expect((await again.next()).json.message_id).toBe(2);
  });
});

describe('sse-server replay across reloads', () => {
  it('never replays frames of another format after a format change, even one made while stopped', async () => {
    const { backend, adapter } = await startSseServer();
    backend.emitMessage({ message_id: 1 });
    await adapter.stop();
    await adapter.reload({ ...adapter.currentConfig(), messagePostFormat: 'string' });
    await adapter.start();
    backend.emitMessage({ message_id: 2 });
    const stream = await connect(`http://${adapter.status().address}/_events`, { 'last-event-id': '0' });
    await stream.next();
    const replayed = await stream.next();
    expect(replayed.json).toMatchObject({ message_id: 2, message_format: 'string' });
    expect(stream.pending()).toHaveLength(0);
  });
});

describe('sse-server /_events authentication and CORS', () => {
  const token = 'sse-token';

  it.each([
    ['no token', '', {}, 401],
    ['an empty access_token', '?access_token=', {}, 401],
    ['a wrong query token', '?access_token=nope', {}, 403],
    ['a wrong header token', '', { authorization: 'Bearer nope' }, 403],
  ])('refuses %s with a OneBot body and no stream', async (_label, query, headers, status) => {
    const { url, adapter, backend } = await startSseServer({ token });
    const response = await fetch(`${url}/_events${query}`, { headers });
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/json/);
    expect(await response.json()).toMatchObject({ status: 'failed', retcode: status === 401 ? 1401 : 1403 });
    expect(adapter.streamCount()).toBe(0);
    backend.emitMessage();
    expect(adapter.status().eventsSent).toBe(0);
  });

  it('accepts the token by query (EventSource) and by header', async () => {
    const { url } = await startSseServer({ token });
    const byQuery = await connect(`${url}/_events?access_token=${token}`);
    expect(byQuery.status).toBe(200);
    expect((await byQuery.next()).json.sub_type).toBe('connect');
    const byHeader = await connect(`${url}/_events`, { authorization: `Bearer ${token}` });
    expect((await byHeader.next()).json.sub_type).toBe('connect');
  });

  it('answers a preflight before auth and keeps CORS headers on the stream', async () => {
    const { url } = await startSseServer({ token });
    const preflight = await fetch(`${url}/_events`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://web.example',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'last-event-id',
      },
    });
    expect(preflight.status).toBe(204);
    const stream = await connect(`${url}/_events?access_token=${token}`, { origin: 'https://web.example' });
    expect(stream.headers.get('access-control-allow-origin')).toBe('https://web.example');
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
  });

  it('sets no CORS headers on the stream when enableCors is off', async () => {
    const { url } = await startSseServer({ enableCors: false });
    const stream = await connect(`${url}/_events`, { origin: 'https://web.example' });
    expect([...stream.headers.keys()].filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });
});
