import { createServer, type Server } from 'node:net';
import { createFakeBackend, retainedBytesAfterGc } from '@onebot-gateway/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createSseServerAdapter } from '../src/index.js';
import { connect, openStalledStream, startSseServer, stopAllSse, waitFor } from './helpers.js';

const blockers: Server[] = [];
afterEach(async () => {
  await stopAllSse();
  await Promise.all(blockers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

describe('sse-server slow streams', () => {
  it('cuts a stream that stops reading at maxBufferedBytes without slowing the others, memory bounded', async () => {
    const limit = 256 * 1024;
    const { url, port, backend, adapter } = await startSseServer({
      maxBufferedBytes: limit,
      sseReplayBufferSize: 4,
    });
    const fast = await connect(`${url}/_events`);
    await fast.next();
    const { socket: stalled, closed: stalledClosed } = await openStalledStream(port);
    await waitFor(() => adapter.streamCount() === 2);

    const before = retainedBytesAfterGc();
    const big = [{ type: 'text', data: { text: 'x'.repeat(64 * 1024) } }];
    let sent = 0;
    // Bounded: loopback's kernel buffers plus the limit are a few MiB.
    while (adapter.streamCount() === 2 && sent < 500) {
      const event = backend.emitMessage({ message: big });
      sent += 1;
      const received = await fast.next();
      expect(received.json.message_id).toBe(event.message_id);
    }
    expect(adapter.streamCount()).toBe(1);
    // The stalled client only notices the close once it reads again.
    stalled.resume();
    await stalledClosed;
    expect(backend.logger.text()).toMatch(/stopped reading/);
    expect(adapter.status().errors).toBe(1);

    // The fast stream still gets everything afterwards.
    const after = backend.emitMessage();
    expect((await fast.next()).json.message_id).toBe(after.message_id);
    // About 2 MiB went to the stalled stream; none of it may stay behind.
    expect(retainedBytesAfterGc() - before).toBeLessThan(4 * 1024 * 1024);
  });

  it('keeps memory bounded with many events and no stream: the replay buffer is capped', async () => {
    const { backend, url } = await startSseServer({ sseReplayBufferSize: 50 });
    for (let i = 0; i < 2000; i += 1)
      backend.emitMessage({ message: [{ type: 'text', data: { text: 'y'.repeat(2048) } }] });
    const stream = await connect(`${url}/_events`, { 'last-event-id': '0' });
    await stream.next();
    for (let i = 0; i < 50; i += 1) await stream.next();
    expect(stream.pending()).toHaveLength(0);
  });
});

describe('sse-server HTTP API (built on http-server)', () => {
  it('answers actions like http-server, echo included', async () => {
    const { url } = await startSseServer();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'get_login_info', echo: 0 }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', data: { user_id: 10001 }, echo: 0 });
    const bad = await fetch(`${url}/echo_params`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{x',
    });
    expect(bad.status).toBe(400);
    const wrongType = await fetch(`${url}/echo_params`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(wrongType.status).toBe(406);
  });

  it('answers POST /_events with 405', async () => {
    const { url } = await startSseServer();
    const response = await fetch(`${url}/_events`, { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
  });

  it('applies a format change on reload in place, without dropping the stream', async () => {
    const { url, backend, adapter } = await startSseServer();
    const stream = await connect(`${url}/_events`);
    await stream.next();
    await adapter.reload({ ...adapter.currentConfig(), messagePostFormat: 'string' });
    backend.emitMessage();
    expect((await stream.next()).json).toMatchObject({ message_format: 'string', message: 'hello' });
    expect(adapter.streamCount()).toBe(1);
  });

  it('rejects start() naming the adapter and the port when the port is in use', async () => {
    const blocker = createServer();
    blockers.push(blocker);
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const adapter = createSseServerAdapter({ name: 'events', port }, createFakeBackend().context());
    await expect(adapter.start()).rejects.toThrow(new RegExp(`sse-server "events".*port ${port}.*in use`));
    await adapter.stop();
  });
});
