import { createServer, type Server } from 'node:net';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { gatewayConfig, spawnGateway, type GatewayProcess } from './support/gateway-process.js';
import { connectWs } from './support/ws-client.js';

describe('an adapter that cannot start (real process)', () => {
  let gateway: GatewayProcess | undefined;
  let blocker: Server | undefined;

  afterEach(async () => {
    await gateway?.stop();
    if (blocker) await new Promise((resolve) => blocker!.close(resolve));
    gateway = undefined;
    blocker = undefined;
  });

  it('is marked failed with the reason, health is 503, and the other adapters run', async () => {
    blocker = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const taken = (blocker.address() as AddressInfo).port;

    gateway = await spawnGateway(
      gatewayConfig({
        websocketServers: [
          { name: 'clash', enable: true, port: taken },
          { name: 'fine', enable: true, port: 0 },
        ],
      }),
    );
    const degraded = await gateway.waitForLog(/is up, degraded/);
    expect(degraded.msg).toMatch(/clash/);

    const health = await gateway.admin<{ status: string; reasons: string[] }>('/api/health');
    expect(health.status).toBe(503);
    expect(health.body.status).toBe('degraded');
    expect(health.body.reasons.find((r) => r.startsWith('clash'))).toMatch(new RegExp(`${taken}`));

    const clash = await gateway.adapter('clash');
    expect(clash.status).toBe('failed');
    expect(clash.lastError).toMatch(new RegExp(`${taken}`));
    expect(gateway.logs.some((l) => l.level >= 50 && /clash .*failed to start/.test(l.msg))).toBe(true);

    const fine = await gateway.adapter('fine');
    expect(fine.status).toBe('running');
    const client = await connectWs(`ws://127.0.0.1:${fine.port}/`);
    expect(await client.next((f) => f.sub_type === 'connect')).toMatchObject({ meta_event_type: 'lifecycle' });
    await client.close();
  });
});
