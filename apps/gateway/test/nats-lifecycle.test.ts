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
});
