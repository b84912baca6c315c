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
    const lifecycle = target.received.filter((r) => r.body.meta_event_type === 'lifecycle').map((r) => r.body.sub_type);
    expect(lifecycle).toEqual(['enable', 'disable']);
    expect(gateway.logs.some((line) => /gateway stopped/.test(line.msg))).toBe(true);
    // The upstream saw the relay go away.
    await until(() => upstream!.sockets.length === 0, 'the relay to disconnect from the upstream');
    expect(gateway.logs.map((l) => JSON.stringify(l)).join('\n')).not.toMatch(/push-secret/);
  });

  it('also shuts down cleanly on SIGINT, sent the moment it says it is up', async () => {
    upstream = await startFakeUpstream();
    gateway = await spawnGateway(gatewayConfig({ httpServers: [{ name: 'api', enable: true, port: 0 }] }, { backend: { type: 'upstream', url: upstream.url } }));
    gateway.child.kill('SIGINT');
    const code = await gateway.exited;
    expect(code).toBe(0);
  });
});
