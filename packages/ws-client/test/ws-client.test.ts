import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { describe, expect, it, vi } from 'vitest';
import { FAKE_SELF_ID, tlsFixtures } from '@onebot-gateway/testkit';
import type { WebsocketClientConfig } from '@onebot-gateway/core';
import { createWsClientAdapter } from '../src/index.js';
import { isLifecycleConnect, isMessage, startBotServer, waitUntil } from './helpers/bot-server.js';
import { useTestScope } from './helpers/test-scope.js';

// A committed fixture, not made at test time: node alone cannot make an X.509 certificate and the
// openssl CLI is not everywhere, so the TLS tests always run. Self-signed for CN=localhost
// (subjectAltName DNS:localhost, IP:127.0.0.1), valid for 100 years; the key protects nothing.
const fixture = (file: string): string =>
  readFileSync(new URL(`./fixtures/${file}`, import.meta.url), 'utf8');
const tls = { key: fixture('localhost-key.pem'), cert: fixture('localhost-cert.pem') };

const { cleanups, botServer, backend, adapterFor } = useTestScope();

async function freePort(): Promise<number> {
  const s = await startBotServer();
  await s.close();
  return s.port;
}

describe('ws-client: connection', () => {
  it('connects with the OneBot headers, sends lifecycle connect first, then events', async () => {
    const server = await botServer();
    const b = backend();
    const adapter = adapterFor(b, { url: server.url });
    await adapter.start();
    expect(adapter.status()).toMatchObject({ state: 'running', connections: 1, connects: 1 });
    const [connection] = server.connections;
    expect(connection?.headers).toMatchObject({
      'x-self-id': String(FAKE_SELF_ID),
      'x-client-role': 'Universal',
      'user-agent': 'OneBot/11',
    });
    expect(connection?.headers.authorization).toBeUndefined();
    b.emitMessage({ message_id: 5 });
    await waitUntil(() => (connection?.frames.length ?? 0) >= 2, 'the event');
    expect(isLifecycleConnect(connection!.frames[0]!)).toBe(true);
    expect(connection?.frames[0]).toMatchObject({ self_id: FAKE_SELF_ID });
    expect(connection?.frames[1]).toMatchObject({
      post_type: 'message',
      message_id: 5,
      message_format: 'array',
    });
  });

  it('sends Authorization: Bearer only when a token is set, and never logs it', async () => {
    const server = await botServer();
    const b = backend();
    await adapterFor(b, { url: `${server.url}?access_token=tok-42`, token: 'tok-42', debug: true }).start();
    expect(server.connections[0]?.headers.authorization).toBe('Bearer tok-42');
    await server.connections[0]?.request({ action: 'echo_params', params: { t: 'tok-42' }, echo: 1 }, 1);
    expect(b.logger.records.some((r) => r.msg === 'ws frame sent')).toBe(true);
    expect(b.logger.text()).not.toContain('tok-42');
  });

  it('serves API calls like a forward universal connection', async () => {
    const server = await botServer();
    const b = backend();
    const adapter = adapterFor(b, { url: server.url });
    await adapter.start();
    const connection = server.connections[0]!;
    expect(await connection.request({ action: 'get_login_info', echo: 'a' }, 'a')).toMatchObject({
      status: 'ok',
      retcode: 0,
      data: { user_id: FAKE_SELF_ID },
      echo: 'a',
    });
    expect(
      await connection.request(
        { action: 'send_private_msg', params: { user_id: '9', message: 'x' }, echo: 0 },
        0,
      ),
    ).toMatchObject({ retcode: 0, echo: 0 });
    expect(b.calls.at(-1)).toMatchObject({ action: 'send_private_msg', params: { user_id: 9 } });
    expect(adapter.status().actionsHandled).toBe(2);
  });

  it('start() resolves after a failed first attempt, then keeps retrying until the server appears', async () => {
    const port = await freePort();
    const b = backend();
    const adapter = adapterFor(b, { url: `ws://127.0.0.1:${port}/` });
    await adapter.start();
    expect(adapter.status()).toMatchObject({ state: 'running', connections: 0, connectionAttempts: 1 });
    expect(b.logger.records.filter((r) => r.level === 'warn').map((r) => r.msg)).toEqual([
      expect.stringMatching(
        /could not connect to ws:\/\/127\.0\.0\.1:\d+\/: .*ECONNREFUSED.*retrying every 20 ms/,
      ),
    ]);
    b.emitMessage({ message_id: 1 });
    await waitUntil(() => (adapter.status().connectionAttempts as number) >= 4, 'a few retries');
    // Repeats of the same failure are not warned again.
    expect(b.logger.records.filter((r) => r.level === 'warn')).toHaveLength(1);
    const server = await botServer({ port });
    await waitUntil(() => adapter.status().connections === 1, 'the connection');
    await waitUntil(() => server.connections[0]!.frames.length >= 2, 'the buffered event');
    expect(server.connections[0]?.frames[1]).toMatchObject({ message_id: 1 });
    expect(
      b.logger.records.some(
        (r) => r.level === 'info' && /connected to .* after \d+ failed attempts/.test(r.msg),
      ),
    ).toBe(true);
  });

  it('accepts an http:// url (core loads it on purpose: NapCat users write it) and dials ws:// instead', async () => {
    const server = await botServer();
    const b = backend();
    const url = server.url.replace(/^ws:/, 'http:');
    const adapter = adapterFor(b, { url });
    await adapter.start();
    expect(adapter.status()).toMatchObject({ state: 'running', connections: 1, url });
    b.emitMessage({ message_id: 8 });
    await waitUntil(() => server.connections[0]!.frames.some((f) => f.message_id === 8), 'the event');
  });

  it('maps https:// to wss://', async () => {
    const server = await botServer({ tls });
    const b = backend();
    const adapter = adapterFor(b, { url: server.url.replace(/^wss:/, 'https:'), verifyCertificate: false });
    await adapter.start();
    expect(adapter.status().connections).toBe(1);
  });

  it('refuses a URL that is not ws(s) or http(s) with a clear error naming the key, token redacted', () => {
    const b = backend();
    expect(() =>
      createWsClientAdapter(
        { name: 'rev', url: 'ftp://127.0.0.1:1/?access_token=zz', token: 'zz' },
        b.context('rev'),
      ),
    ).toThrow(
      /^websocketClients\["rev"\]\.url: expected a ws:\/\/, wss:\/\/, http:\/\/ or https:\/\/ URL, got "ftp:\/\/127\.0\.0\.1:1\/\?access_token=\*\*\*"$/,
    );
  });

  it('a refused handshake (401) is logged with a hint and retried', async () => {
    const server = await botServer({ refuseWith: 401 });
    const b = backend();
    const adapter = adapterFor(b, { url: server.url, token: 'nope' });
    await adapter.start();
    expect(adapter.status().connections).toBe(0);
    const warn = b.logger.records.find((r) => r.level === 'warn');
    expect(warn?.msg).toMatch(/the server answered HTTP 401 instead of upgrading \(check "token"\)/);
    await waitUntil(() => (adapter.status().connectionAttempts as number) >= 3, 'retries');
    expect(b.logger.text()).not.toContain('nope');
  });

  it('stop() closes with 1001, clears the reconnect timer and is idempotent', async () => {
    const server = await botServer();
    const b = backend();
    const adapter = adapterFor(b, { url: server.url, reconnectInterval: 10 });
    await adapter.start();
    await Promise.all([adapter.stop(), adapter.stop()]);
    await waitUntil(() => server.connections[0]!.closed, 'the close');
    expect(server.connections[0]?.closeCode).toBe(1001);
    expect(adapter.status()).toMatchObject({ state: 'stopped', connections: 0 });
    expect(b.bus.subscriberCount()).toBe(0);
    // Absence can only be shown by waiting: several reconnect intervals pass without a new connection.
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(server.connections).toHaveLength(1);
  });

  it('stop() while disconnected drops the buffered events as stopped and clears the timer', async () => {
    const port = await freePort();
    const b = backend();
    const adapter = adapterFor(b, { url: `ws://127.0.0.1:${port}/`, reconnectInterval: 10 });
    await adapter.start();
    b.emitMessage();
    b.emitMessage();
    await adapter.stop();
    expect(adapter.status()).toMatchObject({ buffered: 0, dropped: 2, droppedByReason: { stopped: 2 } });
    const attempts = adapter.status().connectionAttempts;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(adapter.status().connectionAttempts).toBe(attempts);
  });

  it('sends heartbeats while connected', async () => {
    const server = await botServer();
    const b = backend();
    await adapterFor(b, { url: server.url, heartInterval: 25 }).start();
    await waitUntil(
      () => server.connections[0]!.frames.filter((f) => f.meta_event_type === 'heartbeat').length >= 2,
      'heartbeats',
    );
    expect(server.connections[0]?.frames.find((f) => f.meta_event_type === 'heartbeat')).toMatchObject({
      interval: 25,
      status: { online: true },
    });
  });

  it('reload with a new url closes the old connection (1000) before connecting to the new one', async () => {
    const first = await botServer();
    const second = await botServer();
    const b = backend();
    const adapter = adapterFor(b, { url: first.url });
    await adapter.start();
    await adapter.reload({
      url: second.url,
      reconnectInterval: 20,
      heartInterval: 0,
    } as WebsocketClientConfig);
    await waitUntil(
      () => second.connections.length === 1 && adapter.status().connections === 1,
      'the new connection',
    );
    expect(first.connections[0]?.closed).toBe(true);
    expect(first.connections[0]?.closeCode).toBe(1000);
    b.emitMessage({ message_id: 3 });
    await waitUntil(() => second.connections[0]!.frames.some(isMessage), 'the event on the new connection');
    expect(first.connections[0]?.frames.some(isMessage)).toBe(false);
    expect(b.bus.subscriberCount()).toBe(1);
  });

  it('reload to a new url loses no event published while the old socket closes', async () => {
    const first = await botServer();
    const second = await botServer();
    const b = backend();
    const adapter = adapterFor(b, { url: first.url });
    await adapter.start();
    const reloaded = adapter.reload({
      url: second.url,
      reconnectInterval: 20,
      heartInterval: 0,
    } as WebsocketClientConfig);
    b.emitMessage({ message_id: 1 }); // the old socket is closing now
    await reloaded;
    b.emitMessage({ message_id: 2 });
    await waitUntil(
      () => second.connections[0]?.frames.filter(isMessage).length === 2,
      'both events on the new connection',
    );
    expect(second.connections[0]!.frames.filter(isMessage).map((f) => f.message_id)).toEqual([1, 2]);
    expect(first.events().filter(isMessage)).toEqual([]);
  });

  it('two overlapping reloads end with exactly one connection, which stop closes', async () => {
    const first = await botServer();
    const second = await botServer();
    const b = backend();
    const adapter = adapterFor(b, { url: first.url });
    await adapter.start();
    const next = { url: second.url, reconnectInterval: 20, heartInterval: 0 } as WebsocketClientConfig;
    await Promise.all([adapter.reload(next), adapter.reload({ ...next, token: 'rotated' })]);
    await waitUntil(() => adapter.status().connections === 1, 'a connection after the reloads');
    // Give any stray second attempt the time to open (a few reconnectIntervals).
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(second.connections.filter((c) => !c.closed)).toHaveLength(1);
    await adapter.stop();
    await waitUntil(() => second.connections.every((c) => c.closed), 'every connection closed by stop');
  });
});

describe('ws-client: disconnect buffer', () => {
  it('holds events while disconnected and delivers them in order right after the next lifecycle connect', async () => {
    const server = await botServer();
    const b = backend();
    const adapter = adapterFor(b, { url: server.url, reconnectInterval: 30 });
    await adapter.start();
    server.connections[0]!.ws.close(1000, 'bye');
    await waitUntil(() => adapter.status().connections === 0, 'the disconnect');
    for (let i = 1; i <= 5; i += 1) b.emitMessage({ message_id: i });
    expect(adapter.status().buffered).toBe(5);
    await waitUntil(
      () => server.connections.length === 2 && server.connections[1]!.frames.length >= 6,
      'the buffered events',
    );
    b.emitMessage({ message_id: 6 });
    await waitUntil(() => server.connections[1]!.frames.length >= 7, 'the live event');
    const frames = server.connections[1]!.frames;
    expect(isLifecycleConnect(frames[0]!)).toBe(true);
    expect(frames.slice(1).map((f) => f.message_id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(adapter.status()).toMatchObject({ buffered: 0, dropped: 0 });
    expect(b.logger.records.some((r) => r.msg === 'delivered 5 events held while disconnected')).toBe(true);
  });

  it('keeps at most bufferSize events (the newest), logging and counting what it drops', async () => {
    const port = await freePort();
    const b = backend();
    const adapter = adapterFor(b, { url: `ws://127.0.0.1:${port}/`, bufferSize: 3, reconnectInterval: 20 });
    await adapter.start();
    for (let i = 1; i <= 10; i += 1) b.emitMessage({ message_id: i });
    expect(adapter.status()).toMatchObject({ buffered: 3, dropped: 7, droppedByReason: { buffer_full: 7 } });
    expect(b.logger.records.filter((r) => r.msg.startsWith('dropped an event (buffer_full)'))).toHaveLength(
      7,
    );
    // Each line says which event was dropped (the oldest first).
    expect(
      b.logger.records.find((r) => r.msg.startsWith('dropped an event (buffer_full)'))?.obj,
    ).toMatchObject({
      event: { post_type: 'message', type: 'private', message_id: 1 },
    });
    const server = await botServer({ port });
    await waitUntil(() => (server.connections[0]?.frames.length ?? 0) >= 4, 'the buffered events');
    expect(server.connections[0]!.frames.slice(1).map((f) => f.message_id)).toEqual([8, 9, 10]);
  });

  it('with bufferSize 0 the drop line says no buffer is configured, not that an older event made room', async () => {
    const port = await freePort();
    const b = backend();
    const adapter = adapterFor(b, { url: `ws://127.0.0.1:${port}/`, bufferSize: 0, reconnectInterval: 20 });
    await adapter.start();
    b.emitMessage({ message_id: 1 });
    expect(adapter.status()).toMatchObject({ buffered: 0, dropped: 1 });
    const lines = b.logger.records.filter((r) => r.msg.startsWith('dropped an event'));
    expect(lines).toHaveLength(1);
    expect(lines[0]!.msg).toContain('no disconnect buffer is configured (bufferSize 0)');
    expect(lines[0]!.msg).toContain('dropped while disconnected');
    expect(lines[0]!.msg).not.toContain('made room');
  });

  it('drops events older than bufferMaxAge', async () => {
    const port = await freePort();
    const b = backend();
    const adapter = adapterFor(b, {
      url: `ws://127.0.0.1:${port}/`,
      bufferMaxAge: 30,
      reconnectInterval: 20,
    });
    await adapter.start();
    b.emitMessage({ message_id: 1 });
    // The subject is the passing of time: wait past the max age.
    await new Promise((resolve) => setTimeout(resolve, 60));
    b.emitMessage({ message_id: 2 });
    expect(adapter.status()).toMatchObject({ buffered: 1, droppedByReason: { too_old: 1 } });
  });

  it('100 reconnects to a server that closes every connection: no duplicate, no lost event, no leak', async () => {
    let closes = 0;
    const server = await botServer({
      onConnection: (connection) => {
        // Close as soon as the adapter's first frame (lifecycle connect) arrives, over and over.
        connection.ws.once('message', () => {
          if (closes < 100) {
            closes += 1;
            connection.ws.close(1000, 'again');
          }
        });
      },
    });
    const b = backend();
    // getActiveResourcesInfo() does not count unref'd timers, and the session's heartbeat and ping
    // intervals are unref'd: count the live intervals and timeouts ourselves.
    const timers = trackTimers();
    cleanups.push(() => timers.restore());
    // Every client socket the adapter makes (the server's sockets are told apart below).
    const sockets = new Set<WebSocket>();
    const on = WebSocket.prototype.on;
    const onSpy = vi.spyOn(WebSocket.prototype, 'on').mockImplementation(function (
      this: WebSocket,
      ...args: Parameters<typeof on>
    ) {
      sockets.add(this);
      return on.apply(this, args);
    });
    cleanups.push(() => onSpy.mockRestore());
    const adapter = adapterFor(b, { url: server.url, reconnectInterval: 1, heartInterval: 5 });
    await adapter.start();
    const resourcesBefore = process.getActiveResourcesInfo().length;
    const intervalsBefore = timers.liveIntervals();
    expect(intervalsBefore).toBe(2); // the connected session's heartbeat and ping
    let next = 1;
    const publisher = setInterval(() => {
      b.emitMessage({ message_id: next });
      next += 1;
      expect(b.bus.subscriberCount()).toBe(1);
    }, 1);
    cleanups.push(() => clearInterval(publisher));
    // The 101st connection is the one that stays: wait until the server has it and its first frame
    // (closes reaching 100 alone can come before the client has even seen the 100th close).
    await waitUntil(
      () =>
        closes >= 100 &&
        server.connections.length >= 101 &&
        server.connections.at(-1)!.frames.length > 0 &&
        adapter.status().connections === 1,
      '100 reconnects',
      15_000,
    );
    clearInterval(publisher);
    const last = next - 1;
    await waitUntil(() => server.events().filter(isMessage).length >= last, 'every event', 5000);

    const ids = server
      .events()
      .filter(isMessage)
      .map((f) => f.message_id as number);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(Array.from({ length: last }, (_, i) => i + 1));
    expect(server.connections.length).toBeGreaterThanOrEqual(101);
    for (const connection of server.connections) expect(isLifecycleConnect(connection.frames[0]!)).toBe(true);
    expect(b.bus.subscriberCount()).toBe(1);
    expect(adapter.status()).toMatchObject({ dropped: 0, buffered: 0 });
    expect(process.getActiveResourcesInfo().length).toBeLessThanOrEqual(resourcesBefore + 2);
    // Only the current session's two intervals are left, and no timeout outlives its socket.
    expect(timers.liveIntervals()).toBe(intervalsBefore);
    // The current connection's confirmation ping (~250 ms after its last write) may still be pending:
    // wait for it to fire; a timeout left behind by any closed socket would never go away.
    await waitUntil(() => timers.liveTimeouts() <= 1, 'pending timeouts to settle', 2000);
    expect(timers.liveTimeouts()).toBeLessThanOrEqual(1); // waitUntil's own poll at most
    const serverSide = new Set<WebSocket>(server.connections.map((c) => c.ws));
    const clientSockets = [...sockets].filter((ws) => !serverSide.has(ws));
    expect(clientSockets.length).toBeGreaterThanOrEqual(101);
    const open = clientSockets.filter((ws) => ws.readyState !== WebSocket.CLOSED);
    expect(open).toHaveLength(1);
    for (const ws of clientSockets) {
      if (ws === open[0]) continue;
      const listeners = ['open', 'message', 'pong', 'unexpected-response', 'error', 'close'].map((event) =>
        ws.listenerCount(event),
      );
      expect(listeners).toEqual([0, 0, 0, 0, 0, 0]);
    }
  });
});

/**
 * Wraps the global setInterval/setTimeout (which the session, the adapter and
 * ws call) to count the timers that are still live: created, not cleared and,
 * for timeouts, not yet fired.
 */
function trackTimers(): { liveIntervals(): number; liveTimeouts(): number; restore(): void } {
  const intervals = new Set<unknown>();
  const timeouts = new Set<unknown>();
  const { setInterval: realSetInterval, clearInterval: realClearInterval } = globalThis;
  const { setTimeout: realSetTimeout, clearTimeout: realClearTimeout } = globalThis;
  const spies = [
    vi.spyOn(globalThis, 'setInterval').mockImplementation(((...args: Parameters<typeof setInterval>) => {
      const handle = realSetInterval(...args);
      intervals.add(handle);
      return handle;
    }) as typeof setInterval),
    vi.spyOn(globalThis, 'clearInterval').mockImplementation((handle) => {
      intervals.delete(handle);
      realClearInterval(handle);
    }),
    vi.spyOn(globalThis, 'setTimeout').mockImplementation(((
      callback: (...a: unknown[]) => void,
      ms?: number,
      ...rest: unknown[]
    ) => {
      const handle = realSetTimeout(
        (...a: unknown[]) => {
          timeouts.delete(handle);
          callback(...a);
        },
        ms,
        ...rest,
      );
      timeouts.add(handle);
      return handle;
    }) as typeof setTimeout),
    vi.spyOn(globalThis, 'clearTimeout').mockImplementation((handle) => {
      timeouts.delete(handle);
      realClearTimeout(handle);
    }),
  ];
  return {
    liveIntervals: () => intervals.size,
    liveTimeouts: () => timeouts.size,
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}

describe('ws-client: wss://', () => {
  it('trusts the CA in tls.ca with verification on (the system CAs stay trusted), and fails the start naming a missing file', async () => {
    const caSigned = {
      key: readFileSync(tlsFixtures.caSigned.key, 'utf8'),
      cert: readFileSync(tlsFixtures.caSigned.cert, 'utf8'),
    };
    const server = await botServer({ tls: caSigned });
    const b = backend();
    const withoutCa = adapterFor(b, { name: 'without-ca', url: server.url });
    await withoutCa.start();
    expect(withoutCa.status()).toMatchObject({
      connections: 0,
      lastError: expect.stringMatching(/certificate/),
    });

    const withCa = adapterFor(b, { name: 'with-ca', url: server.url, tls: { ca: tlsFixtures.ca } });
    await withCa.start();
    expect(withCa.status().connections).toBe(1);

    const missing = adapterFor(b, {
      name: 'missing-ca',
      url: server.url,
      tls: { ca: '/nonexistent/ca.pem' },
    });
    await expect(missing.start()).rejects.toThrow(
      /^websocket client "missing-ca": tls\.ca \/nonexistent\/ca\.pem: not found$/,
    );
  });

  it('connects to a self-signed server with verifyCertificate false, and refuses it with true', async () => {
    const server = await botServer({ tls });
    const b = backend();
    const trusting = adapterFor(b, { name: 'trusting', url: server.url, verifyCertificate: false });
    await trusting.start();
    expect(trusting.status().connections).toBe(1);
    b.emitMessage({ message_id: 77 });
    await waitUntil(
      () => server.connections[0]!.frames.some((f) => f.message_id === 77),
      'the event over TLS',
    );

    const strict = adapterFor(b, { name: 'strict', url: server.url, verifyCertificate: true });
    await strict.start();
    expect(strict.status().connections).toBe(0);
    expect(
      b.logger.records.some(
        (r) => r.bindings.adapter === 'strict' && r.level === 'warn' && /certificate/i.test(r.msg),
      ),
    ).toBe(true);
  });
});
