import { describe, expect, it } from 'vitest';
import { useGatewayProcesses } from './support/fixture.js';
import { until } from './support/gateway-process.js';
import { injectBurst, splitRedeliveries, startNatsCluster } from './support/nats-cluster.js';

interface Posted {
  post_type: string;
  message_id?: number;
  redelivered?: boolean;
}

const BURST = 10_000;

describe('distributed mode: durable delivery survives a SIGKILL of the edge', () => {
  const fixture = useGatewayProcesses();

  it(`a durable http-client ends with all ${BURST} events in order; a non-durable ws client just reconnects`, async () => {
    const cluster = fixture.manage(await startNatsCluster());
    const receiver = await fixture.postReceiver<Posted>();
    const reverse = await fixture.wsReceiver();
    let reverseConnections = 0;
    reverse.server.on('connection', () => (reverseConnections += 1));

    const network = {
      httpClients: [
        { name: 'durable-http', enable: true, url: receiver.url, durable: true, concurrency: 1, retries: 0 },
      ],
      websocketClients: [
        {
          name: 'plain-ws',
          enable: true,
          url: reverse.url,
          reconnectInterval: 200,
        },
      ],
    };
    const first = await cluster.startEdge(network);
    await until(() => reverseConnections === 1, 'the reverse ws connection');

    // Injected from the origin's sandbox, 16 at a time; the sandbox numbers them in stream order.
    const { injected, done: injecting } = injectBurst(cluster, BURST, 16);
    const messages = () => receiver.bodies().filter((event) => event.post_type === 'message');
    await until(() => messages().length >= 2_000, 'the first 2000 events at the receiver', 60_000);
    first.child.kill('SIGKILL');
    await first.exited;
    const beforeRestart = messages().length;
    expect(beforeRestart).toBeLessThan(BURST);

    await cluster.startEdge(network);
    await injecting;
    await until(
      () => new Set(messages().map((event) => event.message_id)).size === BURST,
      `all ${BURST} events`,
      120_000,
    );
    await until(() => reverseConnections === 2, 'the reverse ws client to reconnect');

    const received = messages();
    const redelivered = received.filter((event) => event.redelivered === true).length;
    const { firstSeen, again } = splitRedeliveries(received);
    // A second copy is only ever one the first process may have posted without acknowledging.
    for (const event of again) expect(event.redelivered).toBe(true);
    expect(firstSeen).toEqual([...injected].sort((a, b) => a - b));
    expect(received.length - BURST).toBeLessThanOrEqual(redelivered);
    console.log(
      `durable http-client: ${received.length} posts for ${BURST} events, ${redelivered} marked redelivered`,
    );
  }, 240_000);

  it('a durable ws client gets every event once in order after a SIGKILL, the unconfirmed ones again and marked', async () => {
    const cluster = fixture.manage(await startNatsCluster());
    const { server, url } = await fixture.wsReceiver();
    const frames: Posted[] = [];
    server.on('connection', (socket) =>
      socket.on('message', (data) => frames.push(JSON.parse(String(data)) as Posted)),
    );
    const network = {
      websocketClients: [
        {
          name: 'durable-ws',
          enable: true,
          url,
          durable: true,
          reconnectInterval: 200,
        },
      ],
    };
    const first = await cluster.startEdge(network);
    const total = 2_000;
    const { injected, done: injecting } = injectBurst(cluster, total, 8, 'ws burst');
    const messages = () => frames.filter((frame) => frame.post_type === 'message');
    await until(() => messages().length >= 500, 'the first 500 events over ws', 60_000);
    first.child.kill('SIGKILL');
    await first.exited;
    await cluster.startEdge(network);
    await injecting;
    await until(
      () => new Set(messages().map((frame) => frame.message_id)).size === total,
      `all ${total} events`,
      60_000,
    );

    const { firstSeen, again } = splitRedeliveries(messages());
    for (const frame of again) expect(frame.redelivered).toBe(true);
    expect(firstSeen).toEqual([...injected].sort((a, b) => a - b));
  }, 120_000);
});
