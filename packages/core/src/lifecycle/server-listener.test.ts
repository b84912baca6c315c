import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { noopLogger } from '../logger.js';
import {
  formatSocketAddress,
  openServerListener,
  type ListeningApp,
  type ServerListenerOptions,
} from './server-listener.js';
import { createPeer, listPeers, MAX_LISTED_PEERS, peersOf } from './peers.js';

/** node:http dressed as the app shape fastify has. */
function plainApp(answer = true): ListeningApp & { server: Server } {
  const server = createServer((_request, response) => {
    if (answer) response.end('ok');
  });
  return {
    server,
    listen: ({ host, port }) =>
      new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const open: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((close) => close()));
});

const config = { host: '127.0.0.1', port: 0, maxConnections: 16, requestTimeout: 10_000 };

/** A listener named `test server "<name>"` on a free port unless `overrides` say otherwise. */
function listen(name: string, overrides: Partial<ServerListenerOptions<ListeningApp>> = {}) {
  return openServerListener<ListeningApp>({
    label: `test server "${name}"`,
    adapter: name,
    config,
    baseDir: process.cwd(),
    logger: noopLogger,
    createApp: async () => plainApp(),
    ...overrides,
  });
}

describe('openServerListener', () => {
  it('listens, reports the bound address and counts open connections', async () => {
    const listener = await listen('a', {
      createApp: async (https) => {
        expect(https).toBeUndefined();
        return plainApp();
      },
    });
    open.push(() => listener.close());
    const port = (listener.app.server.address() as AddressInfo).port;
    expect(listener.address).toBe(`127.0.0.1:${port}`);
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    await expect.poll(() => listener.openConnections()).toBe(1);
    socket.destroy();
    await expect.poll(() => listener.openConnections()).toBe(0);
  });

  it('fails a busy port with one message naming the listener, host and port, and closes the app', async () => {
    const first = await listen('a');
    open.push(() => first.close());
    const port = (first.app.server.address() as AddressInfo).port;
    let second: ListeningApp | undefined;
    const failure = listen('b', {
      config: { ...config, port },
      createApp: async () => (second = plainApp()),
    });
    await expect(failure).rejects.toMatchObject({
      code: 'ADAPTER_START_FAILED',
      message: `test server "b" could not listen on 127.0.0.1:${port}: port ${port} is already in use; stop the other process or choose another port`,
      details: { adapter: 'b', host: '127.0.0.1', port },
    });
    expect(second?.server.listening).toBe(false);
  });

  it('leaves the adapter out of a failure of a listener that is no adapter (the admin API)', async () => {
    const first = await listen('a');
    open.push(() => first.close());
    const port = (first.app.server.address() as AddressInfo).port;
    const failure = await listen('admin', {
      label: 'admin API',
      adapter: undefined,
      config: { ...config, port },
    }).then(
      () => undefined,
      (error: unknown) => error as { message: string; details: Record<string, unknown> },
    );
    expect(failure?.message).toBe(
      `admin API could not listen on 127.0.0.1:${port}: port ${port} is already in use; stop the other process or choose another port`,
    );
    expect(failure?.details).toEqual({ host: '127.0.0.1', port });
  });

  it('names a missing tls file before building anything', async () => {
    let built = false;
    await expect(
      listen('t', {
        config: { ...config, tls: { cert: 'missing-cert.pem', key: 'missing-key.pem' } },
        baseDir: '/nonexistent',
        createApp: async () => {
          built = true;
          return plainApp();
        },
      }),
    ).rejects.toThrow(/test server "t": tls\.cert .*missing-cert\.pem.*not found/);
    expect(built).toBe(false);
  });

  it.each([true, false])(
    'destroys a connection that holds up close after the grace period (trackConnections %s)',
    async (trackConnections) => {
      const listener = await listen('g', {
        // A request that is never answered: close() would wait for it forever.
        createApp: async () => plainApp(false),
        closeGraceMs: 50,
        trackConnections,
      });
      const port = (listener.app.server.address() as AddressInfo).port;
      const socket = connect(port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      const closed = new Promise((resolve) => socket.once('close', resolve));
      const requested = new Promise((resolve) => listener.app.server.once('request', resolve));
      socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
      await requested;
      expect(listener.openConnections()).toBe(trackConnections ? 1 : 0);
      const started = Date.now();
      await listener.close();
      await closed;
      expect(Date.now() - started).toBeLessThan(5000);
      await expect.poll(() => listener.openConnections()).toBe(0);
    },
  );
});

describe('peers', () => {
  it('formats IPv4 and IPv6 remotes as address:port', () => {
    expect(formatSocketAddress('127.0.0.1', 80)).toBe('127.0.0.1:80');
    expect(formatSocketAddress('::1', 80)).toBe('[::1]:80');
    const at = new Date('2026-01-02T03:04:05.000Z');
    expect(createPeer({ remoteAddress: '::ffff:10.0.0.1', remotePort: 5 }, 'sse', at)).toEqual({
      remote: '[::ffff:10.0.0.1]:5',
      role: 'sse',
      since: '2026-01-02T03:04:05.000Z',
    });
    expect(createPeer({}, 'api', at).remote).toBe('unknown');
  });

  it('lists at most MAX_LISTED_PEERS, oldest first across sources', () => {
    const peer = (n: number, role: string) => ({
      remote: `10.0.0.1:${n}`,
      role,
      since: new Date(Date.UTC(2026, 0, 1, 0, 0, n % 60, Math.floor(n / 60))).toISOString(),
    });
    const many = Array.from({ length: 150 }, (_, n) => peer(n, 'event'));
    expect(listPeers(many)).toEqual(many.slice(0, MAX_LISTED_PEERS));
    const early = peer(0, 'sse');
    const merged = listPeers([peer(2, 'universal')], [early, peer(3, 'sse')]);
    expect(merged.map((entry) => entry.remote)).toEqual(['10.0.0.1:0', '10.0.0.1:2', '10.0.0.1:3']);
  });

  it('makes peers from kept records only as far as they are listed', () => {
    const records = Array.from({ length: 150 }, (_, n) => ({
      socket: { remoteAddress: '10.0.0.2', remotePort: 1000 + n },
      role: 'api',
      openedAt: Date.UTC(2026, 0, 1) + n,
    }));
    const listed = listPeers(peersOf(records));
    expect(listed).toHaveLength(MAX_LISTED_PEERS);
    expect(listed[0]).toEqual({ remote: '10.0.0.2:1000', role: 'api', since: '2026-01-01T00:00:00.000Z' });
    expect(listed[99]!.remote).toBe('10.0.0.2:1099');
  });
});
