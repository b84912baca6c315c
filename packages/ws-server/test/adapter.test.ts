import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { createFakeBackend, connectBotSocket, type FakeBackend } from '@onebot-gateway/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWsServerAdapter } from '../src/index.js';
import { closeCode, createHarness, drain, rawUpgrade, type Harness } from './helpers.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

describe('adapter lifecycle', () => {
  let h: Harness;
  beforeEach(() => {
    h = createHarness();
  });
  afterEach(() => h.teardown());

  it('fills defaults from a partial config and reports status with address and counters', async () => {
    const adapter = await h.start({ name: 'ws-status', port: '0' as unknown as number });
    expect(adapter.name).toBe('ws-status');
    expect(adapter.kind).toBe('websocketServers');
    expect(adapter.config).toMatchObject({
      host: '127.0.0.1',
      maxPayload: 16 * 1024 * 1024,
      maxBufferedBytes: 16 * 1024 * 1024,
      enableForcePushEvent: true,
    });
    const universal = await h.connect(adapter, '/');
    await universal.next();
    h.backend.emitMessage();
    await universal.next();
    universal.ws.send(JSON.stringify({ action: 'get_login_info' }));
    await universal.next();
    expect(adapter.status()).toMatchObject({
      state: 'running',
      address: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      connections: 1,
      eventsSent: 1,
      actionsHandled: 1,
      errors: 0,
    });
  });

  it('stop closes every socket with 1001, clears timers, and start/stop are idempotent', async () => {
    const timersBefore = activeTimers();
    const adapter = await h.start({ heartInterval: 1000 });
    await adapter.start();
    const sockets = await Promise.all(['/api', '/event', '/'].map((path) => h.connect(adapter, path)));
    const codes = Promise.all(sockets.map((s) => closeCode(s.ws)));
    await Promise.all([adapter.stop(), adapter.stop()]);
    expect(await codes).toEqual([1001, 1001, 1001]);
    expect(adapter.status()).toMatchObject({ state: 'stopped', connections: 0 });
    expect(adapter.status().address).toBeUndefined();
    expect(h.backend.bus.subscriberCount()).toBe(0);
    expect(activeTimers()).toBeLessThanOrEqual(timersBefore);
    await adapter.stop();
    await adapter.start();
    expect(adapter.status().state).toBe('running');
  });

  it('refuses an upgrade that arrives while stop() is closing the open sockets: no session starts', async () => {
    const adapter = await h.start();
    const address = adapter.status().address!;
    const stuck = await h.connect(adapter, '/event');
    await stuck.next();
    // A client that does not answer the close frame keeps stop() busy for closeAll's 1 s grace.
    (stuck.ws as unknown as { _socket: Socket })._socket.pause();
    const stopping = adapter.stop();
    const late = await rawUpgrade(address, '/');
    expect(late.response).toMatch(/^HTTP\/1\.1 503 /);
    expect(late.response).toMatch(/shutting down/);
    expect(late.response).toMatch(/retry-after: 1/i);
    expect(late.closedByServer).toBe(true);
    await stopping;
    const connected = h.backend.logger.records.filter((r) => r.msg.startsWith('WebSocket client connected'));
    expect(connected).toHaveLength(1);
    expect(adapter.status()).toMatchObject({ state: 'stopped', connections: 0 });
  });

  it('rejects start with an error naming the adapter and the port when the port is taken', async () => {
    const first = await h.start({ name: 'ws-first' });
    const port = Number(first.status().address!.split(':')[1]);
    const second = createWsServerAdapter({ name: 'ws-second', port }, h.backend.context('ws-second'));
    h.adapters.push(second);
    await expect(second.start()).rejects.toThrow(new RegExp(`ws-second.*port ${port}.*in use`));
    expect(second.status().state).toBe('failed');
    // The first one is untouched.
    const socket = await h.connect(first, '/api');
    socket.ws.send(JSON.stringify({ action: 'get_login_info', echo: 1 }));
    expect(await socket.next()).toMatchObject({ echo: 1 });
  });

  it('reload applies token, format and flags in place without dropping connections', async () => {
    const adapter = await h.start({ token: 'old', messagePostFormat: 'array', reportSelfMessage: false });
    const universal = await h.connect(adapter, '/', { kind: 'header', value: 'Bearer old' });
    await universal.next();
    await adapter.reload({
      ...adapter.config,
      token: 'new',
      messagePostFormat: 'string',
      reportSelfMessage: true,
      heartInterval: 50,
    });
    h.backend.emitSelfMessage({ message_id: 31 });
    expect(await universal.next()).toMatchObject({
      post_type: 'message_sent',
      message_id: 31,
      message: 'hello',
      message_format: 'string',
    });
    expect(await universal.next()).toMatchObject({ meta_event_type: 'heartbeat', interval: 50 });
    expect(adapter.status().connections).toBe(1);
    expect(
      await connectBotSocket(`ws://${adapter.status().address}/`, { kind: 'header', value: 'Bearer old' }),
    ).toMatchObject({ rejected: true, status: 403 });
    const fresh = await h.connect(adapter, '/api', { kind: 'query', token: 'new' });
    fresh.ws.send(JSON.stringify({ action: 'get_login_info', echo: 'n' }));
    expect(await fresh.next()).toMatchObject({ echo: 'n' });
  });

  it('reload of maxPayload applies to new connections', async () => {
    const adapter = await h.start({ maxPayload: 1024 });
    await adapter.reload({ ...adapter.config, maxPayload: 64 });
    const api = await h.connect(adapter, '/api');
    const closed = closeCode(api.ws);
    api.ws.send(JSON.stringify({ action: 'echo_params', params: { pad: 'x'.repeat(100) } }));
    expect(await closed).toBe(1009);
  });

  it('reload with a new port rebinds', async () => {
    const adapter = await h.start();
    const before = adapter.status().address;
    const port = await freePort();
    await adapter.reload({ ...adapter.config, port });
    expect(adapter.status().address).toBe(`127.0.0.1:${port}`);
    expect(adapter.status().address).not.toBe(before);
    const api = await h.connect(adapter, '/api');
    api.ws.send(JSON.stringify({ action: 'get_login_info', echo: 1 }));
    expect(await api.next()).toMatchObject({ echo: 1 });
    await expect(connectBotSocket(`ws://${before}/api`)).rejects.toThrow();
  });

  it('debug logs frames of that adapter only, with the token redacted', async () => {
    const loud = await h.start({ name: 'ws-loud', debug: true, token: 'sekrit-token' });
    const quiet = await h.start({ name: 'ws-quiet', token: 'sekrit-token' });
    for (const adapter of [loud, quiet]) {
      const api = await h.connect(adapter, '/api?access_token=sekrit-token');
      api.ws.send(JSON.stringify({ action: 'echo_params', params: { note: 'sekrit-token' }, echo: 1 }));
      await api.next();
    }
    const frames = h.backend.logger.records.filter((r) => r.msg.startsWith('ws frame'));
    expect(frames.length).toBeGreaterThanOrEqual(2);
    expect(frames.every((r) => r.bindings.adapter === 'ws-loud' && r.level === 'info')).toBe(true);
    expect(h.backend.logger.text()).not.toContain('sekrit-token');
  });
});

describe('several adapters in one process', () => {
  let h: Harness;
  let other: FakeBackend;
  beforeEach(() => {
    h = createHarness();
    other = createFakeBackend();
  });
  afterEach(async () => {
    await h.teardown();
    other.dispose();
  });

  it('keeps tokens, formats and counters apart and shares one backend', async () => {
    const a = await h.start({ name: 'ws-a', token: 'ta', messagePostFormat: 'array' });
    const b = await h.start({ name: 'ws-b', token: 'tb', messagePostFormat: 'string' });
    const c = await h.start({ name: 'ws-c' }, other);
    const sa = await h.connect(a, '/event', { kind: 'query', token: 'ta' });
    const sb = await h.connect(b, '/event', { kind: 'query', token: 'tb' });
    const sc = await h.connect(c, '/event');
    await Promise.all([sa.next(), sb.next(), sc.next()]);
    expect(
      await connectBotSocket(`ws://${a.status().address}/`, { kind: 'query', token: 'tb' }),
    ).toMatchObject({ rejected: true, status: 403 });
    h.backend.emitMessage({ message_id: 41 });
    expect(await sa.next()).toMatchObject({
      message_id: 41,
      message: [{ type: 'text', data: { text: 'hello' } }],
    });
    expect(await sb.next()).toMatchObject({ message_id: 41, message: 'hello' });
    expect(await drain(sc)).toEqual([]);
    expect([a, b, c].map((x) => x.status().eventsSent)).toEqual([1, 1, 0]);
    await a.stop();
    h.backend.emitMessage({ message_id: 42 });
    expect(await sb.next()).toMatchObject({ message_id: 42 });
  });
});
