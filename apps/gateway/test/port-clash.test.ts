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
    expect(await client.next((f) => f.sub_type === 'connect')).toMatchObject({
      meta_event_type: 'lifecycle',
    });
    await client.close();
  });

  it("an admin API that cannot bind (NapCat's WebUI holds 6099) makes it degraded while the adapters keep running", async () => {
    blocker = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const taken = (blocker.address() as AddressInfo).port;

    gateway = await spawnGateway(
      gatewayConfig(
        { websocketServers: [{ name: 'fine', enable: true, port: 0 }] },
        { admin: { enable: true, host: '127.0.0.1', port: taken } },
      ),
      { waitUp: false },
    );
    const up = await gateway.waitForLog(/ is up/);
    expect(up.level).toBe(40);
    expect(up.msg).toMatch(
      new RegExp(
        `is up, degraded: admin API could not listen on 127\\.0\\.0\\.1:${taken}: port ${taken} is already in use`,
      ),
    );
    const failure = gateway.logs.find((l) => l.level >= 50 && /^admin API could not listen/.test(l.msg));
    expect(failure?.msg).toMatch(/set gateway\.admin\.port to another port/);

    const listening = await gateway.waitForLog(/^fine \(websocketServers\): listening on /);
    const port = Number(/:(\d+)$/.exec(listening.msg)![1]);
    const client = await connectWs(`ws://127.0.0.1:${port}/`);
    expect(await client.next((f) => f.sub_type === 'connect')).toMatchObject({
      meta_event_type: 'lifecycle',
    });
    expect(await client.call('get_login_info')).toMatchObject({ retcode: 0, data: { user_id: 10000 } });
    await client.close();
  });
});
