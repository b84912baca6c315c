import { describe, expect, it } from 'vitest';
import type { AdapterKind, AdapterStatus, AnyAdapterConfig } from '@onebot-gateway/core';
import { napcatAdapterKinds } from '@onebot-gateway/core/internal';
import { createFakeBackend, createRecordingLogger } from '@onebot-gateway/testkit';
import type { AdapterFactory, AdapterFactoryLoader } from '../src/adapter-factories.js';
import { createAdapterSupervisor } from '../src/adapter-supervisor.js';
import { startAdminServer } from '../src/admin/admin-server.js';
import { TEST_ADMIN } from './support/admin.js';
import { useGatewayProcesses } from './support/fixture.js';

const PEERS = [
  { remote: '127.0.0.1:50001', role: 'universal', since: '2026-01-01T00:00:00.000Z' },
  { remote: '127.0.0.1:50002', role: 'event', since: '2026-01-01T00:00:05.000Z' },
];
const NEXT_RETRY = '2026-01-01T00:01:00.000Z';

/** Adapters whose status() says what the entry's `extra` holds; port 1 never starts. */
function statusFactories(): Record<AdapterKind, AdapterFactoryLoader> {
  const factory: AdapterFactory = (config: AnyAdapterConfig) => ({
    name: config.name,
    kind: 'websocketServers',
    async start() {
      if (config.port === 1) throw new Error(`${config.name}: port 1 is already in use`);
    },
    async stop() {},
    async reload() {},
    status: (): AdapterStatus => ({
      state: 'running',
      connections: 2,
      eventsSent: 0,
      actionsHandled: 0,
      errors: 0,
      peers: PEERS,
      nextRetryAt: NEXT_RETRY,
    }),
  });
  return Object.fromEntries(
    napcatAdapterKinds.map((kind) => [kind, () => Promise.resolve(factory)]),
  ) as Record<AdapterKind, AdapterFactoryLoader>;
}

const entry = (name: string, port: number, enable = true) =>
  ({
    kind: 'websocketServers',
    config: { name, enable, host: '127.0.0.1', port },
  }) as never;

describe('GET /api/adapters for the dashboard overview', () => {
  const fixture = useGatewayProcesses();

  it("passes each running adapter's peers and next retry through; a failed or disabled one has none", async () => {
    const backend = createFakeBackend();
    const supervisor = createAdapterSupervisor(
      statusFactories(),
      { router: backend.router, bus: backend.bus, logger: backend.logger, selfId: () => 1 },
      { baseDir: '.' },
    );
    await supervisor.apply([entry('live', 10), entry('clash', 1), entry('off', 11, false)]);
    const admin = fixture.track(
      await startAdminServer(TEST_ADMIN, {
        reports: () => supervisor.reports(),
        backend: () => ({ type: 'sandbox', selfId: () => 1, status: () => ({ online: true }) }) as never,
        logger: createRecordingLogger(),
      }),
    );
    const body = (await (await fetch(`http://${admin.address}/api/adapters`)).json()) as {
      adapters: Array<Record<string, unknown>>;
    };
    const byName = Object.fromEntries(body.adapters.map((adapter) => [adapter.name, adapter]));
    expect(byName.live).toMatchObject({
      status: 'running',
      connections: 2,
      peers: PEERS,
      nextRetryAt: NEXT_RETRY,
    });
    expect(byName.clash).toMatchObject({ status: 'failed' });
    expect(byName.off).toMatchObject({ status: 'disabled' });
    for (const name of ['clash', 'off']) {
      expect(Object.hasOwn(byName[name]!, 'peers'), name).toBe(false);
      expect(Object.hasOwn(byName[name]!, 'nextRetryAt'), name).toBe(false);
    }
    await supervisor.stopAll();
  });

  it('counts the answers of POST /api/actions/:action (failures and refused bodies too) in admin.actionsHandled', async () => {
    const gateway = await fixture.start({
      logger: createRecordingLogger(),
      config: { network: {}, gateway: { admin: { enable: true, host: '127.0.0.1', port: 0 } } },
    });
    const base = `http://${gateway.adminAddress()!}`;
    const handled = async () =>
      ((await (await fetch(`${base}/api/adapters`)).json()) as { admin: { actionsHandled: number } }).admin
        .actionsHandled;
    expect(await handled()).toBe(0);
    const post = (action: string, body: string) =>
      fetch(`${base}/api/actions/${action}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
    expect((await post('get_login_info', '{}')).status).toBe(200);
    expect((await post('send_private_msg', JSON.stringify({ user_id: 10001, message: 'hi' }))).status).toBe(
      200,
    );
    expect((await post('no_such_action', '{}')).status).toBe(404);
    expect((await post('get_status', '{oops')).status).toBe(400);
    expect(await handled()).toBe(4);
  });
});
