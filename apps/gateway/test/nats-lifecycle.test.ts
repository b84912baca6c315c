import { describe, expect, it } from 'vitest';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { useGatewayProcesses } from './support/fixture.js';
import { until } from './support/gateway-process.js';
import { injectBurst, splitRedeliveries, startNatsCluster } from './support/nats-cluster.js';

interface Health {
  status: string;
  reasons: string[];
}

describe('distributed mode: NATS goes away and comes back', () => {
  const fixture = useGatewayProcesses();

  it('the origin holds events through the outage, an edge started meanwhile is degraded, and both recover by themselves', async () => {
    const cluster = fixture.manage(await startNatsCluster());
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
    const client = await fixture.connect(edge, 'edge-ws');
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
    const cluster = fixture.manage(await startNatsCluster());
    const receiver = await fixture.postReceiver<{
      post_type: string;
      message_id: number;
      redelivered?: boolean;
    }>();
    await cluster.startEdge({
      httpClients: [{ name: 'durable-http', enable: true, url: receiver.url, durable: true, concurrency: 1 }],
    });
    const total = 1_500;
    const { injected, done: injecting } = injectBurst(cluster, total, 8);
    await until(() => injected.length >= 300, 'the burst to be under way', 30_000);
    await cluster.nats.kill();
    await until(() => injected.length >= 600, 'more events injected while NATS is down', 30_000);
    await cluster.nats.restart();
    await injecting;
    const messages = () => receiver.bodies().filter((event) => event.post_type === 'message');
    await until(
      () => new Set(messages().map((event) => event.message_id)).size === total,
      `all ${total} events`,
      60_000,
    );
    const { firstSeen, again } = splitRedeliveries(messages());
    expect(firstSeen).toEqual([...injected].sort((a, b) => a - b));
    // A second copy only of an event posted but not acknowledged before the restart, and marked so.
    for (const event of again) expect(event.redelivered).toBe(true);
  }, 120_000);
});
