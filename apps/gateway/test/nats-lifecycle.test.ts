import { once } from 'node:events';
import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { until } from './support/gateway-process.js';
import { startNatsCluster, type NatsCluster } from './support/nats-cluster.js';
import { connectWs, type TestWsClient } from './support/ws-client.js';

interface Health {
  status: string;
  reasons: string[];
}

describe('distributed mode: NATS goes away and comes back', () => {
  let cluster: NatsCluster | undefined;
  const clients: TestWsClient[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await cluster?.stop();
    cluster = undefined;
  });

  it('the origin holds events through the outage, an edge started meanwhile is degraded, and both recover by themselves', async () => {
    cluster = await startNatsCluster();
    const { origin, nats } = cluster;
    await nats.kill();

    const originHealth = await until(async () => {
      const health = await origin.admin<Health>('/api/health');
      return health.status === 503 ? health.body : undefined;
    }, 'the origin to report NATS down');
    expect(originHealth.reasons).toEqual([
      expect.stringMatching(/^to-nats \(natsBridges\) is degraded: NATS is/),
    ]);

    const ids: number[] = [];
    for (let index = 0; index < 5; index += 1) ids.push(await cluster.inject(`during the outage ${index}`));
    const holding = await origin.adapter('to-nats');
    expect(holding).toMatchObject({
      status: 'running',
      connections: 0,
      nats: { connected: false, bufferedEvents: 5, droppedEvents: 0 },
    });
    const health = await origin.admin<Health>('/api/health');
    expect(health.body.reasons[0]).toMatch(/holding 5 events \(\d+ of 67108864 bytes\), dropped 0$/);

    const edge = await cluster.startEdge({ websocketServers: [{ name: 'edge-ws', enable: true, port: 0 }] });
    const edgeHealth = await edge.admin<Health>('/api/health');
    expect(edgeHealth.status).toBe(503);
    expect(edgeHealth.body.reasons).toEqual([expect.stringMatching(/^backend "nats" is offline: /)]);
    const client = await connectWs(`ws://127.0.0.1:${(await edge.adapter('edge-ws')).port}/`);
    clients.push(client);
    expect(await client.call('get_login_info')).toMatchObject({ status: 'failed', retcode: 100 });

    await nats.restart();
    await until(
      async () =>
        (await origin.admin('/api/health')).status === 200 &&
        (await edge.admin('/api/health')).status === 200,
      'origin and edge to recover',
      15_000,
    );

    await until(async () => {
      const bridge = (await origin.adapter('to-nats')) as unknown as { nats: { bufferedEvents: number } };
      return bridge.nats.bufferedEvents === 0;
    }, 'the origin to empty its buffer');
    // Stored once each, although the origin may have retried some of them.
    const probe = await connect({ servers: nats.url });
    try {
      const info = await (await jetstreamManager(probe)).streams.info('ONEBOT_EVENTS');
      expect(info.state.messages).toBe(5);
    } finally {
      await probe.close();
    }

    const after = await cluster.inject('after the outage');
    expect(await client.next((frame) => frame.message_id === after, 10_000)).toMatchObject({
      raw_message: 'after the outage',
    });
    expect(await client.call('get_login_info')).toMatchObject({ retcode: 0, data: { user_id: 10000 } });
  });

  it('nats-server killed and restarted (file store) during a burst: every durable receiver ends with all events', async () => {
    cluster = await startNatsCluster();
    const posted: Array<{ post_type: string; message_id: number; redelivered?: boolean }> = [];
    const receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        posted.push(
          JSON.parse(Buffer.concat(chunks).toString()) as { post_type: string; message_id: number },
        );
        response.writeHead(204).end();
      });
    });
    receiver.listen(0, '127.0.0.1');
    await once(receiver, 'listening');
    const url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/`;
    try {
      await cluster.startEdge({
        httpClients: [{ name: 'durable-http', enable: true, url, durable: true, concurrency: 1 }],
      });
      const total = 1_500;
      const injected: number[] = [];
      let next = 0;
      const injecting = Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < total) {
            next += 1;
            injected.push(await cluster!.inject(`burst ${next}`));
          }
        }),
      );
      await until(() => injected.length >= 300, 'the burst to be under way', 30_000);
      await cluster.nats.kill();
      await until(() => injected.length >= 600, 'more events injected while NATS is down', 30_000);
      await cluster.nats.restart();
      await injecting;
      const messages = () => posted.filter((event) => event.post_type === 'message');
      await until(
        () => new Set(messages().map((event) => event.message_id)).size === total,
        `all ${total} events`,
        60_000,
      );
      const firstSeen = [...new Set(messages().map((event) => event.message_id))];
      expect(firstSeen).toEqual([...injected].sort((a, b) => a - b));
      // A second copy only of an event posted but not acknowledged before the restart, and marked so.
      const seen = new Set<number>();
      for (const event of messages()) {
        if (seen.has(event.message_id)) expect(event.redelivered).toBe(true);
        seen.add(event.message_id);
      }
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  }, 120_000);
});
