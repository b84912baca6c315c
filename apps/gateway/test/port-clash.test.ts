import { describe, expect, it } from 'vitest';
import { useGatewayProcesses } from './support/fixture.js';
import { gatewayConfig } from './support/gateway-process.js';
import { connectWs } from './support/ws-client.js';

describe('an adapter that cannot start (real process)', () => {
  const fixture = useGatewayProcesses();

  it('is marked failed with the reason, health is 503, and the other adapters run', async () => {
    const taken = await fixture.occupyPort();

    const gateway = await fixture.spawn(
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
    const client = await fixture.connect(gateway, 'fine');
    expect(await client.next((f) => f.sub_type === 'connect')).toMatchObject({
      meta_event_type: 'lifecycle',
    });
    await client.close();
  });

  it("an admin API that cannot bind (NapCat's WebUI holds 6099) makes it degraded while the adapters keep running", async () => {
    const taken = await fixture.occupyPort();

    const gateway = await fixture.spawn(
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
    const client = fixture.track(await connectWs(`ws://127.0.0.1:${port}/`));
    expect(await client.next((f) => f.sub_type === 'connect')).toMatchObject({
      meta_event_type: 'lifecycle',
    });
    expect(await client.call('get_login_info')).toMatchObject({ retcode: 0, data: { user_id: 10000 } });
    await client.close();
  });
});
