import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { closedByPeer, connectSilently, createRecordingLogger } from '@onebot-gateway/testkit';
import type { GatewayHandle } from '../src/index.js';
import { useGatewayProcesses } from './support/fixture.js';

describe('connection caps per listener (in-process gateway)', () => {
  const fixture = useGatewayProcesses();
  let gateway: GatewayHandle;

  /** A TCP connection that sends nothing: the piled-up kind that used to exhaust descriptors. */
  async function silentSocket(address: string): Promise<Socket> {
    const socket = await connectSilently(Number(address.split(':').pop()));
    fixture.track({ close: () => socket.destroy() });
    return socket;
  }

  const refused = closedByPeer;

  it('a full adapter refuses more connections and warns once, while the admin API (its own cap) still answers', async () => {
    const logger = createRecordingLogger();
    gateway = await fixture.start({
      logger,
      config: {
        network: {
          httpServers: [{ name: 'api', enable: true, port: 0, maxConnections: 2 }],
          websocketServers: [{ name: 'ws', enable: true, port: 0, maxConnections: 2 }],
        },
        gateway: {
          backend: { type: 'sandbox' },
          admin: { enable: true, host: '127.0.0.1', port: 0, maxConnections: 4 },
        },
      },
    });
    const addressOf = (name: string): string =>
      gateway.adapters().find((adapter) => adapter.name === name)!.address!;

    for (const name of ['api', 'ws']) {
      const held = [await silentSocket(addressOf(name)), await silentSocket(addressOf(name))];
      const extra = [await silentSocket(addressOf(name)), await silentSocket(addressOf(name))];
      await Promise.all(extra.map(refused));
      expect(held.some((socket) => socket.readableEnded || socket.destroyed)).toBe(false);
    }

    const health = await fetch(`http://${gateway.adminAddress()!}/api/health`);
    expect(health.status).toBe(200);

    const warnings = logger.records.filter(
      (record) => record.level === 'warn' && /refused a connection/.test(record.msg),
    );
    expect(warnings.map((record) => record.msg)).toEqual([
      expect.stringContaining('http-server "api"'),
      expect.stringContaining('websocket server "ws"'),
    ]);
  });

  it('the admin API refuses past gateway.admin.maxConnections and logs it', async () => {
    const logger = createRecordingLogger();
    gateway = await fixture.start({
      logger,
      config: {
        network: {},
        gateway: {
          backend: { type: 'sandbox' },
          admin: { enable: true, host: '127.0.0.1', port: 0, maxConnections: 1 },
        },
      },
    });
    await silentSocket(gateway.adminAddress()!);
    await refused(await silentSocket(gateway.adminAddress()!));
    expect(logger.text()).toMatch(/admin API: refused a connection/);
  });
});
