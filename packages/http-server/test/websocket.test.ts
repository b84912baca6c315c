import { createWsServerAdapter } from '@onebot-gateway/ws-server';
import { createFakeBackend } from '@onebot-gateway/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { call, startServer, stopAll, waitFor } from './helpers.js';

const sockets: WebSocket[] = [];
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
  await stopAll();
});

interface OpenSocket {
  socket: WebSocket;
  next(timeoutMs?: number): Promise<Record<string, unknown>>;
}

function open(url: string, headers: Record<string, string> = {}): Promise<OpenSocket> {
  const socket = new WebSocket(url, { headers });
  sockets.push(socket);
  const queue: Array<Record<string, unknown>> = [];
  const waiters: Array<(frame: Record<string, unknown>) => void> = [];
  socket.on('message', (data) => {
    const frame = JSON.parse(String(data)) as Record<string, unknown>;
    const waiter = waiters.shift();
    if (waiter) waiter(frame);
    else queue.push(frame);
  });
  return new Promise((resolve, reject) => {
    socket.once('open', () =>
      resolve({
        socket,
        next: (timeoutMs = 3000) =>
          queue.length > 0
            ? Promise.resolve(queue.shift()!)
            : new Promise((res, rej) => {
                const timer = setTimeout(() => rej(new Error('no frame in time')), timeoutMs);
                waiters.push((frame) => {
                  clearTimeout(timer);
                  res(frame);
                });
              }),
      }),
    );
    socket.once('unexpected-response', (request, response) => {
      // ws leaves a refused handshake's request open when this event is handled.
      request.destroy();
      reject(new Error(`handshake refused: ${response.statusCode}`));
    });
    socket.once('error', reject);
  });
}

describe('http-server enableWebsocket', () => {
  it('serves WebSocket on the HTTP port with the ws-server roles, and HTTP still works', async () => {
    const { url, port, backend, adapter } = await startServer({ enableWebsocket: true });
    const universal = await open(`ws://127.0.0.1:${port}/`);
    expect(await universal.next()).toMatchObject({ meta_event_type: 'lifecycle', sub_type: 'connect' });
    const api = await open(`ws://127.0.0.1:${port}/api`);
    const events = await open(`ws://127.0.0.1:${port}/event/`);
    expect(await events.next()).toMatchObject({ sub_type: 'connect' });

    api.socket.send(JSON.stringify({ action: 'get_login_info', echo: 0 }));
    expect(await api.next()).toMatchObject({ status: 'ok', data: { user_id: 10001 }, echo: 0 });
    const sent = backend.emitMessage();
    expect((await universal.next()).message_id).toBe(sent.message_id);
    expect((await events.next()).message_id).toBe(sent.message_id);
    await expect(api.next(200)).rejects.toThrow();

    // A path that is also an action name answers HTTP as before.
    expect((await call(`${url}/get_login_info`)).body).toMatchObject({ status: 'ok' });
    expect((await call(`${url}/api`)).status).toBe(404);
    expect(adapter.status()).toMatchObject({ websocketConnections: 3 });
  });

  it('authenticates the handshake: 401 missing, 403 wrong, no socket', async () => {
    const { port } = await startServer({ enableWebsocket: true, token: 'wstoken' });
    await expect(open(`ws://127.0.0.1:${port}/`)).rejects.toThrow(/401/);
    await expect(open(`ws://127.0.0.1:${port}/api?access_token=bad`)).rejects.toThrow(/403/);
    const ok = await open(`ws://127.0.0.1:${port}/`, { authorization: 'Bearer wstoken' });
    expect((await ok.next()).sub_type).toBe('connect');
  });

  it('leaves no socket behind after a refused handshake', async () => {
    const { port, adapter } = await startServer({ enableWebsocket: true, token: 'wstoken' });
    for (let i = 0; i < 5; i += 1) await expect(open(`ws://127.0.0.1:${port}/event`)).rejects.toThrow(/401/);
    await waitFor(() => adapter.status().connections === 0);
  });

  it('refuses WebSocket upgrades when enableWebsocket is off', async () => {
    const { port } = await startServer({ enableWebsocket: false });
    await expect(open(`ws://127.0.0.1:${port}/`)).rejects.toThrow();
  });

  it('closes WebSocket clients with 1001 on stop()', async () => {
    const { port, adapter } = await startServer({ enableWebsocket: true });
    const client = await open(`ws://127.0.0.1:${port}/`);
    const closed = new Promise<number>((resolve) => client.socket.once('close', resolve));
    await adapter.stop();
    expect(await closed).toBe(1001);
  });

  it('applies a format change on reload to open WebSocket connections', async () => {
    const { port, backend, adapter } = await startServer({ enableWebsocket: true });
    const client = await open(`ws://127.0.0.1:${port}/event`);
    await client.next();
    await adapter.reload({ ...adapter.currentConfig(), messagePostFormat: 'string' });
    backend.emitMessage();
    expect(await client.next()).toMatchObject({ message_format: 'string', message: 'hello' });
  });

  it('runs next to a ws-server and other http-servers in one process', async () => {
    const backend = createFakeBackend();
    const ws = createWsServerAdapter({ port: 0, name: 'ws' }, backend.context('ws'));
    await ws.start();
    cleanups.push(() => ws.stop());
    const first = await startServer({ name: 'h1', enableWebsocket: true }, backend);
    const second = await startServer({ name: 'h2', token: 'two' }, backend);
    const wsClient = await open(`ws://${ws.status().address}/event`);
    const upgradeClient = await open(`ws://127.0.0.1:${first.port}/event`);
    await wsClient.next();
    await upgradeClient.next();
    const event = backend.emitMessage();
    expect((await wsClient.next()).message_id).toBe(event.message_id);
    expect((await upgradeClient.next()).message_id).toBe(event.message_id);
    expect((await call(`${second.url}/get_login_info?access_token=two`)).status).toBe(200);
    expect((await call(`${first.url}/get_login_info`)).status).toBe(200);
  });
});
