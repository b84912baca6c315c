import { createServer, type IncomingMessage, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { gatewayConfig, spawnGateway, until, type GatewayProcess } from './support/gateway-process.js';
import { startFakeUpstream, type FakeUpstream } from './support/fake-upstream.js';
import { connectWs } from './support/ws-client.js';

interface Received {
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

async function startReceiver(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ headers: request.headers, body: JSON.parse(body) as Record<string, unknown> });
      response.writeHead(204).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/onebot`, received };
}

describe('graceful shutdown of the real process', () => {
  let gateway: GatewayProcess | undefined;
  let upstream: FakeUpstream | undefined;
  let receiver: Server | undefined;

  afterEach(async () => {
    await gateway?.stop();
    await upstream?.close();
    if (receiver) await new Promise((resolve) => receiver!.close(resolve));
    gateway = undefined;
    upstream = undefined;
    receiver = undefined;
  });

  it('on SIGTERM posts lifecycle disable, closes everything and exits 0 within 5 s', async () => {
    upstream = await startFakeUpstream();
    const target = await startReceiver();
    receiver = target.server;
    gateway = await spawnGateway(
      gatewayConfig(
        {
          httpServers: [{ name: 'api', enable: true, port: 0 }],
          websocketServers: [{ name: 'ws', enable: true, port: 0 }],
          httpClients: [{ name: 'push', enable: true, url: target.url, token: 'push-secret' }],
        },
        { backend: { type: 'upstream', url: upstream.url } },
      ),
    );
    await until(() => target.received.some((r) => r.body.sub_type === 'enable'), 'lifecycle enable');
    expect((await gateway.admin('/api/health')).status).toBe(200);
    const client = await connectWs(`ws://127.0.0.1:${(await gateway.adapter('ws')).port}/`);
    await client.next((f) => f.sub_type === 'connect');

    const started = Date.now();
    gateway.child.kill('SIGTERM');
    const code = await gateway.exited;
    const took = Date.now() - started;

    expect(code).toBe(0);
    expect(took).toBeLessThan(5_000);
    expect((await client.closed).code).toBe(1001);
    const lifecycle = target.received
      .filter((r) => r.body.meta_event_type === 'lifecycle')
      .map((r) => r.body.sub_type);
    expect(lifecycle).toEqual(['enable', 'disable']);
    expect(gateway.logs.some((line) => /gateway stopped/.test(line.msg))).toBe(true);
    // The upstream saw the relay go away.
    await until(() => upstream!.sockets.length === 0, 'the relay to disconnect from the upstream');
    expect(gateway.logs.map((l) => JSON.stringify(l)).join('\n')).not.toMatch(/push-secret/);
  });

  it('with a receiver that accepts but never answers, still posts disable, logs the dropped count and exits 0 within 5 s', async () => {
    const hanging: Received[] = [];
    // Reads each request, never answers: every POST waits, so the queue fills and stop must cut it short.
    receiver = createServer((request) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () =>
        hanging.push({ headers: request.headers, body: JSON.parse(body) as Record<string, unknown> }),
      );
    });
    receiver.listen(0, '127.0.0.1');
    await once(receiver, 'listening');
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/onebot`;
    gateway = await spawnGateway(
      gatewayConfig({ httpClients: [{ name: 'slow', enable: true, url, timeout: 30_000 }] }),
    );
    await until(
      () => hanging.some((r) => r.body.sub_type === 'enable'),
      'lifecycle enable to reach the receiver',
    );
    for (let i = 0; i < 3; i += 1) {
      const { status } = await gateway.admin('/api/sandbox/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          message_type: 'group',
          user_id: 10001,
          group_id: 20001,
          message: `queued ${i}`,
        }),
      });
      expect(status).toBe(200);
    }

    const started = Date.now();
    gateway.child.kill('SIGTERM');
    const code = await gateway.exited;
    const took = Date.now() - started;

    expect(code).toBe(0);
    expect(took).toBeLessThan(5_000);
    // The receiver was sent disable (it never answered it, so it also counts as dropped).
    expect(hanging.filter((r) => r.body.meta_event_type === 'lifecycle').map((r) => r.body.sub_type)).toEqual(
      ['enable', 'disable'],
    );
    const summary = gateway.logs.find((line) => /^stopped posting events/.test(line.msg));
    expect(summary).toMatchObject({
      adapter: 'slow',
      dropped: 5,
      droppedByReason: { stopped: 4, timeout: 1 },
    });
    expect(summary!.msg).toBe('stopped posting events; 5 dropped in all (4 stopped, 1 timeout)');
    expect(gateway.logs.some((line) => /did not stop within/.test(line.msg))).toBe(false);
    expect(gateway.logs.some((line) => /gateway stopped/.test(line.msg))).toBe(true);
  });

  it('also shuts down cleanly on SIGINT, sent the moment it says it is up', async () => {
    upstream = await startFakeUpstream();
    gateway = await spawnGateway(
      gatewayConfig(
        { httpServers: [{ name: 'api', enable: true, port: 0 }] },
        { backend: { type: 'upstream', url: upstream.url } },
      ),
    );
    gateway.child.kill('SIGINT');
    const code = await gateway.exited;
    expect(code).toBe(0);
  });
});
