import { startNatsServer, type NatsServerProcess } from '@onebot-gateway/testkit';
import { gatewayConfig, spawnGateway, type GatewayProcess } from './gateway-process.js';

/** The sandbox's account: the origin's self_id, the one the edges serve. */
export const SANDBOX_SELF_ID = 10000;

/** Distributed mode on one machine: a real nats-server, an origin gateway on the sandbox, edges on demand. */
export interface NatsCluster {
  nats: NatsServerProcess;
  origin: GatewayProcess;
  edges: GatewayProcess[];
  /** An edge gateway (nats backend) with this network. */
  startEdge(network: Record<string, unknown[]>, backend?: Record<string, unknown>): Promise<GatewayProcess>;
  /** Post a private message from alice into the origin's sandbox; resolves with its message_id. */
  inject(text: string): Promise<number>;
  stop(): Promise<void>;
}

export async function startNatsCluster(bridge: Record<string, unknown> = {}): Promise<NatsCluster> {
  const nats = await startNatsServer();
  let origin: GatewayProcess;
  try {
    origin = await spawnGateway(
      gatewayConfig({ natsBridges: [{ name: 'to-nats', enable: true, servers: [nats.url], ...bridge }] }),
    );
  } catch (error) {
    await nats.stop();
    throw error;
  }
  const edges: GatewayProcess[] = [];
  return {
    nats,
    origin,
    edges,
    async startEdge(network, backend = {}) {
      const edge = await spawnGateway(
        gatewayConfig(network, {
          backend: {
            type: 'nats',
            servers: [nats.url],
            selfId: SANDBOX_SELF_ID,
            actionTimeout: 3000,
            ...backend,
          },
        }),
      );
      edges.push(edge);
      return edge;
    },
    async inject(text) {
      const response = await origin.post<{ message_id: number }>('/api/sandbox/messages', {
        message_type: 'private',
        user_id: 10001,
        message: text,
      });
      if (response.status !== 200) throw new Error(`injecting failed: ${JSON.stringify(response.body)}`);
      return response.body.message_id;
    },
    async stop() {
      await Promise.all(edges.splice(0).map((edge) => edge.stop()));
      await origin.stop();
      await nats.stop();
    },
  };
}

/**
 * Inject `total` messages (`<label> 1` ...), `concurrency` at a time. `injected` fills with their
 * message_ids as the sandbox numbers them (stream order); `done` settles when all are in.
 */
export function injectBurst(
  cluster: NatsCluster,
  total: number,
  concurrency: number,
  label = 'burst',
): { injected: number[]; done: Promise<void> } {
  const injected: number[] = [];
  let next = 0;
  const done = Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next += 1;
        injected.push(await cluster.inject(`${label} ${next}`));
      }
    }),
  ).then(() => undefined);
  return { injected, done };
}

/** What a durable receiver got, split: each message_id's first copy in arrival order, and the copies again. */
export function splitRedeliveries<T extends { message_id?: number }>(
  events: T[],
): { firstSeen: number[]; again: T[] } {
  const seen = new Set<number>();
  const firstSeen: number[] = [];
  const again: T[] = [];
  for (const event of events) {
    if (seen.has(event.message_id!)) {
      again.push(event);
      continue;
    }
    seen.add(event.message_id!);
    firstSeen.push(event.message_id!);
  }
  return { firstSeen, again };
}
