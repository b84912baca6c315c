/**
 * One process of the distributed-mode benchmark (nats-bench.ts forks it):
 *   direct  a gateway in miniature: sandbox backend + ws-server adapter
 *   origin  sandbox backend + NATS bridge adapter
 *   edge    NATS backend + ws-server adapter
 * It tells its parent its ws port (direct, edge) and, on {emit: n, gapMs},
 * makes the sandbox receive n group messages, each carrying its send time.
 */
import {
  createActionRouter,
  createAdapterContext,
  createEventBus,
  noopLogger,
  resolveAdapterConfig,
  resolveConfig,
  type NatsBackendConfig,
} from '@onebot-gateway/core';
import { createSandboxBackend } from '@onebot-gateway/backend-sandbox';
import { createWsServerAdapter } from '@onebot-gateway/ws-server';
import { createNatsBackend, createNatsBridgeAdapter } from '../src/index.js';

const [role, natsUrl] = process.argv.slice(2) as ['direct' | 'origin' | 'edge', string];
const router = createActionRouter();
const bus = createEventBus();
const send = (message: unknown) => process.send!(message);

const now = () => performance.timeOrigin + performance.now();

async function main(): Promise<void> {
  if (role === 'edge') {
    const config = resolveConfig({
      gateway: { backend: { type: 'nats', servers: [natsUrl], selfId: 10000 } },
    }).gateway.backend as NatsBackendConfig;
    const backend = createNatsBackend({ config, router, bus, logger: noopLogger });
    await backend.start();
    const ws = createWsServerAdapter(
      { name: 'ws', enable: true, host: '127.0.0.1', port: 0, heartInterval: 0, maxConnections: 1000 },
      createAdapterContext({ router, bus, selfId: () => 10000 }, 'ws'),
    );
    await ws.start();
    send({ port: Number(/:(\d+)$/.exec(ws.status().address ?? '')?.[1]) });
    return;
  }
  const sandbox = createSandboxBackend({ config: { type: 'sandbox' }, router, bus, logger: noopLogger });
  await sandbox.start();
  const context = createAdapterContext({ router, bus, selfId: () => sandbox.selfId() }, role);
  if (role === 'origin') {
    const bridge = createNatsBridgeAdapter(
      resolveAdapterConfig('natsBridges', { name: 'bridge', enable: true, servers: [natsUrl] }),
      context,
    );
    await bridge.start();
    send({ port: 0 });
  } else {
    const ws = createWsServerAdapter(
      { name: 'ws', enable: true, host: '127.0.0.1', port: 0, heartInterval: 0, maxConnections: 1000 },
      context,
    );
    await ws.start();
    send({ port: Number(/:(\d+)$/.exec(ws.status().address ?? '')?.[1]) });
  }
  process.on('message', (command: { emit: number; gapMs: number }) => {
    void (async () => {
      for (let index = 0; index < command.emit; index += 1) {
        sandbox.simulateMessage({
          message_type: 'group',
          user_id: 10001,
          group_id: 20001,
          message: `t=${now().toFixed(3)}`,
        });
        if (command.gapMs > 0) await new Promise((resolve) => setTimeout(resolve, command.gapMs));
        else if (index % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
      }
    })();
  });
}

await main();
