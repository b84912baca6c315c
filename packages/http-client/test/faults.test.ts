import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { FakeBackend } from '@onebot-gateway/testkit';
import type { Adapter, HttpClientConfig } from '@onebot-gateway/core';
import { isLifecycle, isMessage, startReceiver, waitUntil } from './helpers/receiver.js';
import { useFixtures } from './helpers/fixtures.js';

const { defer, receiver, backend, started } = useFixtures();

/** A raw TCP server: lets a test misbehave below HTTP. */
async function tcpServer(
  onSocket: (socket: Socket) => void,
): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: TcpServer = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    onSocket(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const handle = {
    url: `http://127.0.0.1:${port}/`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  defer(() => handle.close());
  return handle;
}

async function closedPortUrl(): Promise<string> {
  const r = await startReceiver();
  await r.close();
  return r.url;
}

const dropped = (adapter: Adapter<HttpClientConfig>): Record<string, number> =>
  adapter.status().droppedByReason as Record<string, number>;
const warnings = (b: FakeBackend): string[] =>
  b.logger.records.filter((x) => x.level === 'warn').map((x) => x.msg);

describe('http-client: faulty endpoints', () => {
  it('a refused connection is retried `retries` times in total, then dropped with a clear log line', async () => {
    const b = backend();
    const adapter = await started(b, { url: await closedPortUrl(), retries: 3 });
    b.emitMessage();
    await waitUntil(() => adapter.status().dropped === 2, 'enable and the message to be dropped');
    expect(dropped(adapter)).toEqual({ connection: 2 });
    expect(adapter.status().retries).toBe(4);
    expect(
      warnings(b).some((m) => /dropped an event \(connection\): .*ECONNREFUSED.*after 3 attempts/.test(m)),
    ).toBe(true);
  });

  it('a hanging endpoint times out after `timeout` ms and is not retried', async () => {
    let seen = 0;
    const r = await receiver(() => {
      seen += 1; // never answers
    });
    const b = backend();
    const adapter = await started(b, { url: r.url, timeout: 150, retries: 3, stopTimeout: 200 });
    await waitUntil(() => adapter.status().dropped === 1, 'enable to time out');
    expect(dropped(adapter)).toEqual({ timeout: 1 });
    expect(seen).toBe(1);
    expect(warnings(b).some((m) => m.startsWith('dropped an event (timeout)'))).toBe(true);
  });

  it('a reply that drips in slower than its timeout is cut at the deadline, though each chunk comes in time', async () => {
    const drips: NodeJS.Timeout[] = [];
    defer(() => drips.forEach(clearInterval));
    const endpoint = await tcpServer((socket) => {
      socket.once('data', () => {
        socket.write(
          'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
        );
        let left = 100;
        // One byte every 50 ms: undici's between-chunks timer (300 ms) never fires.
        const drip = setInterval(() => {
          if (socket.destroyed || left-- === 0) return clearInterval(drip);
          socket.write('1\r\n \r\n');
        }, 50);
        drips.push(drip);
      });
    });
    const b = backend();
    const startedAt = Date.now();
    const adapter = await started(b, { url: endpoint.url, timeout: 300, retries: 1, stopTimeout: 200 });
    await waitUntil(() => adapter.status().dropped === 1, 'the lifecycle post to be cut', 4000);
    expect(dropped(adapter)).toEqual({ timeout: 1 });
    // About one timeout, at most two: never the 5 s the drip would take.
    expect(Date.now() - startedAt).toBeLessThan(2000);
  });

  it('an endpoint sending 103 Early Hints every 300 ms cannot keep an attempt past its timeout', async () => {
    const hints: NodeJS.Timeout[] = [];
    defer(() => hints.forEach(clearInterval));
    // undici restarts its headers timer on every 1xx: only an overall deadline ends this attempt.
    const r = await receiver((_request, response) => {
      const hint = setInterval(() => {
        if (response.destroyed) return clearInterval(hint);
        response.writeEarlyHints({ link: '</style.css>; rel=preload; as=style' });
      }, 300);
      hints.push(hint);
    });
    const b = backend();
    const startedAt = Date.now();
    const adapter = await started(b, { url: r.url, timeout: 1000, retries: 2, stopTimeout: 200 });
    await waitUntil(() => adapter.status().dropped === 1, 'the lifecycle post to time out', 8000);
    const elapsed = Date.now() - startedAt;
    expect(dropped(adapter)).toEqual({ timeout: 1 });
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(2000);
    expect(
      warnings(b).some((m) =>
        /dropped an event \(timeout\): no complete answer within the timeout \(the whole attempt took longer than 1000 ms\)/.test(
          m,
        ),
      ),
    ).toBe(true);
  });

  it('a 500 is retried with backoff and the event delivered once the endpoint recovers', async () => {
    let failuresLeft = 2;
    const r = await receiver((request, response) => {
      if (isMessage(request) && failuresLeft > 0) {
        failuresLeft -= 1;
        return void response.writeHead(500).end('boom');
      }
      response.writeHead(204).end();
    });
    const b = backend();
    const adapter = await started(b, { url: r.url, retries: 3 });
    b.emitMessage({ message_id: 1 });
    await waitUntil(() => adapter.status().eventsSent === 2, 'the message to be delivered');
    expect(r.requests.filter(isMessage)).toHaveLength(3);
    expect(adapter.status()).toMatchObject({ dropped: 0, retries: 2 });
  });

  it('a 500 that persists is dropped after exactly `retries` attempts', async () => {
    const r = await receiver((_request, response) => void response.writeHead(503).end());
    const b = backend();
    const adapter = await started(b, { url: r.url, retries: 2 });
    await waitUntil(() => adapter.status().dropped === 1, 'enable to be dropped');
    expect(r.requests).toHaveLength(2);
    expect(dropped(adapter)).toEqual({ server_error: 1 });
    expect(warnings(b).some((m) => m.includes('HTTP 503') && m.includes('after 2 attempts'))).toBe(true);
  });

  it('a 4xx is not retried', async () => {
    const r = await receiver((_request, response) => void response.writeHead(401).end());
    const b = backend();
    const adapter = await started(b, { url: r.url });
    await waitUntil(() => adapter.status().dropped === 1, 'enable to be dropped');
    expect(r.requests).toHaveLength(1);
    expect(dropped(adapter)).toEqual({ rejected: 1 });
  });

  it('a connection closed mid-request is retried on a fresh connection', async () => {
    let destroyed = 0;
    const r = await receiver((request, response, raw) => {
      if (isMessage(request) && destroyed === 0) {
        destroyed += 1;
        return void raw.socket.destroy();
      }
      response.writeHead(204).end();
    });
    const b = backend();
    const adapter = await started(b, { url: r.url });
    b.emitMessage();
    await waitUntil(() => adapter.status().eventsSent === 2, 'the message to be delivered after the reset');
    expect(destroyed).toBe(1);
    expect(r.requests.filter(isMessage)).toHaveLength(2);
    expect(adapter.status().dropped).toBe(0);
  });

  it('a peer that answers bytes that are not HTTP is dropped as bad_response, no crash', async () => {
    const server = await tcpServer((socket) => {
      socket.once('data', () => socket.end('this is not http at all\r\n\r\n'));
    });
    const b = backend();
    const adapter = await started(b, { url: server.url });
    b.emitMessage();
    await waitUntil(() => adapter.status().dropped === 2, 'both events to be dropped');
    expect(Object.keys(dropped(adapter))).toEqual(['bad_response']);
  });

  it('a peer that closes before answering anything is retried, then dropped', async () => {
    let connections = 0;
    const server = await tcpServer((socket) => {
      connections += 1;
      socket.once('data', () => socket.destroy());
    });
    const b = backend();
    const adapter = await started(b, { url: server.url, retries: 2 });
    await waitUntil(() => adapter.status().dropped === 1, 'enable to be dropped');
    expect(connections).toBe(2);
    expect(dropped(adapter)).toEqual({ connection: 1 });
  });

  it('a huge reply body is not read into memory and is "nothing to do"', async () => {
    const r = await receiver((request, response) => {
      if (!isMessage(request)) return void response.writeHead(204).end();
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(`{"reply":"${'x'.repeat(2 * 1024 * 1024)}"}`);
    });
    const b = backend();
    const adapter = await started(b, { url: r.url });
    b.emitMessage();
    await waitUntil(() => adapter.status().eventsSent === 2, 'the message to be delivered');
    expect(b.calls).toEqual([]);
  });

  it('does not follow redirects: the event is dropped as redirect and the target never called', async () => {
    const target = await receiver();
    const r = await receiver(
      (_request, response) => void response.writeHead(302, { location: target.url }).end(),
    );
    const b = backend();
    const adapter = await started(b, { url: r.url });
    await waitUntil(() => adapter.status().dropped === 1, 'enable to be dropped');
    expect(dropped(adapter)).toEqual({ redirect: 1 });
    expect(target.requests).toHaveLength(0);
    expect(warnings(b).some((m) => m.includes('HTTP 302') && m.includes('redirects are not followed'))).toBe(
      true,
    );
  });
});

describe('http-client: bounded under load', () => {
  it('a hung endpoint never holds more than queueSize events; overflow is dropped, counted and logged in bounded lines', async () => {
    const r = await receiver(() => undefined);
    const b = backend();
    const adapter = await started(b, {
      url: r.url,
      concurrency: 2,
      queueSize: 10,
      timeout: 10_000,
      stopTimeout: 100,
    });
    await r.until((reqs) => reqs.length === 1); // enable holds one slot
    for (let i = 0; i < 1000; i += 1) b.emitMessage();
    const status = adapter.status();
    expect(status.inFlight).toBe(2);
    expect(status.queued).toBe(10);
    expect(dropped(adapter)).toEqual({ queue_full: 1000 - 1 - 10 });
    const lines = warnings(b).filter((m) => m.includes('queue_full'));
    expect(lines.length).toBe(10);
    expect(lines[0]).toMatch(/10 events are already waiting/);
  });

  it('a dead endpoint never delays another adapter', async () => {
    const hung = await receiver(() => undefined);
    const healthy = await receiver();
    const b = backend();
    await started(b, {
      name: 'to-hung',
      url: hung.url,
      concurrency: 1,
      queueSize: 5,
      timeout: 10_000,
      stopTimeout: 100,
    });
    await started(b, { name: 'to-healthy', url: healthy.url });
    for (let i = 0; i < 50; i += 1) b.emitMessage({ message_id: i });
    await healthy.until((reqs) => reqs.filter(isMessage).length === 50, 2000);
  });

  it('stop with a hung endpoint returns within the grace period and counts what was left as stopped', async () => {
    const r = await receiver(() => undefined);
    const b = backend();
    const adapter = await started(b, { url: r.url, concurrency: 1, timeout: 10_000, stopTimeout: 300 });
    for (let i = 0; i < 5; i += 1) b.emitMessage();
    await r.until((reqs) => reqs.length === 1);
    const before = Date.now();
    await adapter.stop();
    expect(Date.now() - before).toBeLessThan(300 * 3 + 500);
    // enable (in flight, aborted) + 5 queued + disable (timed out) = 7 events not delivered
    expect(adapter.status().dropped).toBe(7);
    expect(dropped(adapter).stopped).toBe(6);
    expect(adapter.status()).toMatchObject({ state: 'stopped', queued: 0, inFlight: 0 });
  });

  it('the whole stop (drain, abort, disable) fits in stopTimeout, still posts disable and logs the drop count', async () => {
    // Accepts every request and never answers: each phase of stop would wait its full time.
    const r = await receiver(() => undefined);
    const b = backend();
    const stopTimeout = 1000;
    const adapter = await started(b, { url: r.url, concurrency: 1, timeout: 10_000, stopTimeout });
    for (let i = 0; i < 3; i += 1) b.emitMessage();
    await r.until((reqs) => reqs.length === 1);
    const before = Date.now();
    await adapter.stop();
    // One deadline for everything (a host such as the gateway gives each adapter 3 s).
    expect(Date.now() - before).toBeLessThan(stopTimeout + 300);
    // The endpoint was sent disable even though it never answers anything.
    await r.until((reqs) => reqs.some(isLifecycle('disable')), 1000);
    // enable (aborted) + 3 queued: stopped; disable (unanswered): timeout.
    expect(dropped(adapter)).toEqual({ stopped: 4, timeout: 1 });
    const summary = b.logger.records.find((x) => x.msg.startsWith('stopped posting events'));
    expect(summary?.msg).toBe('stopped posting events; 5 dropped in all (4 stopped, 1 timeout)');
    expect(summary?.obj).toMatchObject({ dropped: 5, droppedByReason: { stopped: 4, timeout: 1 } });
  });
});
