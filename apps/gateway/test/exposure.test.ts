import { describe, expect, it } from 'vitest';
import { createRecordingLogger } from '@onebot-gateway/testkit';
import { useGatewayProcesses } from './support/fixture.js';
import { gatewayConfig } from './support/gateway-process.js';

const warnsOfExposure = /without a token: anyone who can reach this address/;

describe('listeners without a token beyond loopback (real process)', () => {
  const fixture = useGatewayProcesses();

  it('does not start a token-less admin API on 0.0.0.0: degraded, with the reason and the fix; adapters run', async () => {
    const gateway = await fixture.spawn(
      gatewayConfig(
        { websocketServers: [{ name: 'fine', enable: true, port: 0 }] },
        { admin: { enable: true, host: '0.0.0.0', port: 0 } },
      ),
      { waitUp: false },
    );
    const up = await gateway.waitForLog(/ is up/);
    expect(up.level).toBe(40);
    expect(up.msg).toMatch(
      /is up, degraded: admin API not started: it would listen on 0\.0\.0\.0:0 without a token, .*set gateway\.admin\.token .*gateway\.admin\.allowInsecure: true/,
    );
    const failure = gateway.logs.find((l) => l.level >= 50 && /^admin API not started/.test(l.msg));
    expect(failure?.msg).not.toMatch(/NapCat's WebUI/);
    expect(gateway.logs.some((l) => /^admin API on /.test(l.msg))).toBe(false);
    await gateway.waitForLog(/^fine \(websocketServers\): listening on /);
  });

  it('starts it with allowInsecure, and warns once per exposed listener, naming it and its address, never a token', async () => {
    const gateway = await fixture.spawn(
      gatewayConfig(
        {
          websocketServers: [
            { name: 'open-ws', enable: true, host: '0.0.0.0', port: 0 },
            { name: 'guarded-ws', enable: true, host: '0.0.0.0', port: 0, token: 'ws-secret' },
            { name: 'local-ws', enable: true, host: '127.0.0.1', port: 0 },
          ],
          httpServers: [{ name: 'open-http', enable: true, host: '0.0.0.0', port: 0 }],
          httpSseServers: [{ name: 'open-sse', enable: true, host: '0.0.0.0', port: 0 }],
          websocketClients: [{ name: 'client', enable: true, url: 'ws://127.0.0.1:9/' }],
        },
        { admin: { enable: true, host: '0.0.0.0', port: 0, allowInsecure: true } },
      ),
      { waitUp: false },
    );
    const adminLine = await gateway.waitForLog(/^admin API on /);
    const adminAddress = String(adminLine.admin);
    expect(adminAddress).toMatch(/^0\.0\.0\.0:\d+$/);
    await gateway.waitForLog(/ is up/);
    gateway.adminUrl = `http://127.0.0.1:${adminAddress.split(':')[1]}`;
    const adapters = await gateway.admin<{ adapters: unknown[] }>('/api/adapters');
    expect(adapters.status).toBe(200);
    expect(adapters.body.adapters).toHaveLength(6);

    const warnings = gateway.logs.filter((l) => l.level === 40 && warnsOfExposure.test(l.msg));
    const adminWarning = warnings.filter((l) => l.msg.startsWith('admin API'));
    expect(adminWarning).toHaveLength(1);
    expect(adminWarning[0]!.msg).toContain(`admin API listens on ${adminAddress} without a token`);
    expect(adminWarning[0]!.msg).toMatch(/set gateway\.admin\.token/);
    // Everything the admin API can do, not only status and the sandbox.
    expect(adminWarning[0]!.msg).toMatch(
      /can rewrite the config file .*call any action as the bot, read the event and log streams/,
    );

    for (const [name, kind] of [
      ['open-ws', 'websocketServers'],
      ['open-http', 'httpServers'],
      ['open-sse', 'httpSseServers'],
    ] as const) {
      const own = warnings.filter((l) => l.msg.startsWith(`${name} (${kind}) listens on 0.0.0.0:`));
      expect(own, name).toHaveLength(1);
      expect(own[0]!.msg).toContain(`set "token" in network.${kind} entry "${name}"`);
    }
    expect(warnings).toHaveLength(4);
    expect(JSON.stringify(gateway.logs)).not.toContain('ws-secret');
  });
});

describe('a reload that exposes a listener (in process)', () => {
  const fixture = useGatewayProcesses();

  it('warns when a reload moves a token-less adapter off loopback or removes its token, not on other reloads', async () => {
    const logger = createRecordingLogger();
    const config = (entry: Record<string, unknown>) => ({
      network: { websocketServers: [{ name: 'ws', enable: true, port: 0, ...entry }] },
      gateway: { backend: { type: 'sandbox' }, admin: { enable: false } },
    });
    const exposures = () => logger.records.filter((r) => r.level === 'warn' && warnsOfExposure.test(r.msg));
    const gateway = await fixture.start({ logger, config: config({ host: '0.0.0.0', token: 'ws-secret' }) });
    expect(exposures()).toHaveLength(0);
    await gateway.applyConfig(config({ host: '0.0.0.0', token: '' }));
    expect(exposures()).toHaveLength(1);
    expect(exposures()[0]!.msg).toMatch(/^ws \(websocketServers\) listens on 0\.0\.0\.0:\d+ without a token/);
    await gateway.applyConfig(config({ host: '0.0.0.0', token: '', heartInterval: 1000 }));
    expect(exposures()).toHaveLength(1);
    expect(logger.text()).not.toContain('ws-secret');
  });
});
