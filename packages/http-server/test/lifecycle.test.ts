import { createServer, type Server } from 'node:net';
import { createFakeBackend } from '@onebot-gateway/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServerAdapter } from '../src/index.js';
import { call, startServer, stopAll, waitFor } from './helpers.js';

const blockers: Server[] = [];
afterEach(async () => {
  await stopAll();
  await Promise.all(blockers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function occupyPort(): Promise<number> {
  const blocker = createServer();
  blockers.push(blocker);
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  return (blocker.address() as { port: number }).port;
}

describe('http-server lifecycle', () => {
  it('rejects start() naming the adapter and the port when the port is in use', async () => {
    const port = await occupyPort();
    const backend = createFakeBackend();
    const adapter = createHttpServerAdapter({ name: 'api-main', port }, backend.context('api-main'));
    await expect(adapter.start()).rejects.toThrow(new RegExp(`http-server "api-main".*port ${port}.*in use`));
    expect(adapter.status()).toMatchObject({ state: 'failed', errors: 1 });
    await adapter.stop();
  });

  it('starts and stops idempotently, and stop() frees the port', async () => {
    const server = await startServer({ name: 'twice' });
    await server.adapter.start();
    expect(server.adapter.status()).toMatchObject({ state: 'running', address: `127.0.0.1:${server.port}` });
    await Promise.all([server.adapter.stop(), server.adapter.stop()]);
    expect(server.adapter.status().state).toBe('stopped');
    await expect(fetch(`${server.url}/get_login_info`)).rejects.toThrow();
    const again = createHttpServerAdapter({ port: server.port }, server.backend.context());
    await again.start();
    await again.stop();
  });

  it('closes idle keep-alive connections on stop so stop() resolves', async () => {
    const server = await startServer();
    await call(`${server.url}/get_login_info`);
    const started = Date.now();
    await server.adapter.stop();
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('stop() resolves even while a request never completes', async () => {
    const server = await startServer();
    const pending = call(`${server.url}/slow_action?ms=15000`).catch((error: Error) => error);
    await waitFor(() => server.adapter.status().actionsHandled === 1);
    const started = Date.now();
    await server.adapter.stop();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await pending).toBeInstanceOf(Error);
  });

  it('accepts NapCat-style string values and rejects invalid ones clearly', () => {
    const adapter = createHttpServerAdapter(
      { port: '0', enableCors: 'false', maxBodySize: '2048' },
      createFakeBackend().context(),
    );
    expect(adapter.currentConfig()).toMatchObject({ port: 0, enableCors: false, maxBodySize: 2048 });
    expect(() => createHttpServerAdapter({ port: 'abc' }, createFakeBackend().context())).toThrow(/port/);
    expect(() => createHttpServerAdapter({ maxBufferedBytes: -1 }, createFakeBackend().context())).toThrow(
      /maxBufferedBytes/,
    );
  });

  it('fills defaults from a partial entry', () => {
    const adapter = createHttpServerAdapter({}, createFakeBackend().context());
    expect(adapter.name).toBe('http-server');
    expect(adapter.kind).toBe('httpServers');
    expect(adapter.currentConfig()).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      enableCors: true,
      token: '',
      maxBodySize: 16 * 1024 * 1024,
    });
    expect(adapter.status()).toMatchObject({ state: 'idle', connections: 0, actionsHandled: 0 });
  });

  it('runs several adapters in one process, each with its own token and counters', async () => {
    const backend = createFakeBackend();
    const a = await startServer({ name: 'a', token: 'ta' }, backend);
    const b = await startServer({ name: 'b', token: 'tb' }, backend);
    const c = await startServer({ name: 'c' }, backend);
    expect(new Set([a.port, b.port, c.port]).size).toBe(3);
    expect((await call(`${a.url}/get_login_info?access_token=ta`)).status).toBe(200);
    expect((await call(`${a.url}/get_login_info?access_token=tb`)).status).toBe(403);
    expect((await call(`${b.url}/get_login_info?access_token=tb`)).status).toBe(200);
    expect((await call(`${c.url}/get_login_info`)).status).toBe(200);
    expect(a.adapter.status().actionsHandled).toBe(1);
    expect(b.adapter.status().actionsHandled).toBe(1);
    await a.adapter.stop();
    expect((await call(`${b.url}/get_login_info?access_token=tb`)).status).toBe(200);
  });

  it('rebinds on a port change and keeps answering', async () => {
    const server = await startServer();
    const freePort = await occupyPort();
    await new Promise((resolve) => blockers.pop()!.close(resolve));
    await server.adapter.reload({ ...server.adapter.currentConfig(), port: freePort });
    expect(server.adapter.status().address).toBe(`127.0.0.1:${freePort}`);
    expect((await call(`http://127.0.0.1:${freePort}/get_login_info`)).status).toBe(200);
    await expect(fetch(`${server.url}/get_login_info`)).rejects.toThrow();
  });

  it('debug: true logs each request and response with the token redacted; debug off logs none', async () => {
    const token = 'very-secret-value';
    const loud = await startServer({ name: 'loud', debug: true, token });
    await call(`${loud.url}/echo_params?access_token=${token}&x=1`, {
      headers: { authorization: `Bearer ${token}` },
    });
    await call(`${loud.url}/echo_params`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: token },
      body: '{"y":2}',
    });
    const lines = loud.backend.logger.records.filter((r) => r.bindings.adapter === 'loud');
    expect(lines.filter((r) => r.msg === 'http request')).toHaveLength(2);
    expect(lines.filter((r) => r.msg === 'http response')).toHaveLength(2);
    expect(lines.every((r) => r.level === 'info')).toBe(true);
    expect(loud.backend.logger.text()).toContain('access_token=***');
    expect(loud.backend.logger.text()).toContain('"y":2');
    expect(loud.backend.logger.text()).not.toContain(token);

    const quiet = await startServer({ name: 'quiet' });
    await call(`${quiet.url}/get_login_info`);
    expect(quiet.backend.logger.records.filter((r) => r.msg.startsWith('http re'))).toHaveLength(0);
  });
});
