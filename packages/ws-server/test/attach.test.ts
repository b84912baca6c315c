import {
  connectBotSocket,
  createFakeBackend,
  type BotSocket,
  type FakeBackend,
} from '@onebot-gateway/testkit';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  registerOneBotWebSocket,
  type OneBotWebSocketHandle,
  type OneBotWebSocketSettings,
} from '../src/index.js';
import { closeCode, drain } from './helpers.js';

const settings: OneBotWebSocketSettings = {
  token: 'host-token',
  messagePostFormat: 'array',
  reportSelfMessage: false,
  enableForcePushEvent: true,
  heartInterval: 0,
  maxBufferedBytes: 16 * 1024 * 1024,
  maxPayload: 1024 * 1024,
  debug: false,
};

describe('registerOneBotWebSocket on a host fastify instance (http-server enableWebsocket)', () => {
  let backend: FakeBackend;
  let app: FastifyInstance;
  let handle: OneBotWebSocketHandle;
  let base: string;
  const sockets: BotSocket[] = [];
  const auth = { kind: 'header', value: 'Bearer host-token' } as const;

  beforeEach(async () => {
    backend = createFakeBackend();
    app = Fastify();
    // Host routes an upgrade could otherwise land on.
    app.get('/', async () => ({ host: 'root' }));
    app.get('/:action', async (request) => ({ host: (request.params as { action: string }).action }));
    app.get('/:action/', async () => ({ host: 'slash' }));
    app.post('/', async () => ({ host: 'post' }));
    handle = await registerOneBotWebSocket(app, { context: backend.context('http-host'), settings });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address() as { port: number };
    base = `127.0.0.1:${address.port}`;
  });

  afterEach(async () => {
    await Promise.allSettled(sockets.splice(0).map((s) => s.close()));
    await handle.closeAll();
    await app.close();
    backend.dispose();
  });

  async function connect(path: string): Promise<BotSocket> {
    const socket = await connectBotSocket(`ws://${base}${path}`, auth);
    if ('rejected' in socket) throw new Error(`rejected ${socket.status}`);
    sockets.push(socket);
    return socket;
  }

  it('leaves the host HTTP routes alone', async () => {
    expect(await (await fetch(`http://${base}/`)).json()).toEqual({ host: 'root' });
    expect(await (await fetch(`http://${base}/send_msg`)).json()).toEqual({ host: 'send_msg' });
    expect(await (await fetch(`http://${base}/api`)).json()).toEqual({ host: 'api' });
    expect(await (await fetch(`http://${base}/x/`)).json()).toEqual({ host: 'slash' });
    expect(await (await fetch(`http://${base}/`, { method: 'POST' })).json()).toEqual({ host: 'post' });
  });

  it('routes upgrades on every path shape to the right role, authenticated before the upgrade', async () => {
    expect(await connectBotSocket(`ws://${base}/send_msg`)).toMatchObject({ rejected: true, status: 401 });
    expect(await connectBotSocket(`ws://${base}/`, { kind: 'query', token: 'nope' })).toMatchObject({
      rejected: true,
      status: 403,
    });
    const api = await connect('/api');
    const universalPaths = ['/', '/send_msg', '/ws/', '/onebot/v11/ws'];
    const universals = await Promise.all(universalPaths.map(connect));
    const event = await connect('/event/');
    for (const socket of [...universals, event])
      expect(await socket.next()).toMatchObject({ meta_event_type: 'lifecycle' });
    expect(handle.connections()).toBe(6);
    backend.emitMessage({ message_id: 51 });
    for (const socket of [...universals, event])
      expect(await socket.next()).toMatchObject({ message_id: 51 });
    expect(await drain(api)).toEqual([]);
    api.ws.send(JSON.stringify({ action: 'get_login_info', echo: 'a' }));
    expect(await api.next()).toMatchObject({ retcode: 0, echo: 'a' });
  });

  it('update() changes settings in place; closeAll() closes with 1001', async () => {
    const universal = await connect('/');
    await universal.next();
    handle.update({ messagePostFormat: 'string' });
    backend.emitMessage();
    expect(await universal.next()).toMatchObject({ message: 'hello', message_format: 'string' });
    const closed = closeCode(universal.ws);
    await handle.closeAll();
    expect(await closed).toBe(1001);
    expect(handle.connections()).toBe(0);
  });
});
