import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { until } from './support/gateway-process.js';
import { startNatsCluster, type NatsCluster } from './support/nats-cluster.js';

interface Posted {
  post_type: string;
  message_id?: number;
  redelivered?: boolean;
}

const BURST = 10_000;

/** An HTTP endpoint that answers 204 and keeps every event body it got, in order. */
async function startReceiver(): Promise<{ server: Server; url: string; posted: Posted[] }> {
  const posted: Posted[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      posted.push(JSON.parse(Buffer.concat(chunks).toString()) as Posted);
      response.writeHead(204).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${port}/`, posted };
}

describe('distributed mode: durable delivery survives a SIGKILL of the edge', () => {
  let cluster: NatsCluster | undefined;
  const closers: Array<() => Promise<void>> = [];

  afterEach(async () => {
    await cluster?.stop();
    cluster = undefined;
    await Promise.all(closers.splice(0).map((close) => close()));
  });

  it(`a durable http-client ends with all ${BURST} events in order; a non-durable ws client just reconnects`, async () => {
    cluster = await startNatsCluster();
    const receiver = await startReceiver();
    closers.push(() => new Promise((resolve) => receiver.server.close(() => resolve())));
    const reverse = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(reverse, 'listening');
    let reverseConnections = 0;
    reverse.on('connection', () => (reverseConnections += 1));
    closers.push(() => new Promise((resolve) => reverse.close(() => resolve())));

    const network = {
      httpClients: [
        { name: 'durable-http', enable: true, url: receiver.url, durable: true, concurrency: 1, retries: 0 },
      ],
      websocketClients: [
        {
          name: 'plain-ws',
          enable: true,
          url: `ws://127.0.0.1:${(reverse.address() as { port: number }).port}/`,
          reconnectInterval: 200,
        },
      ],
    };
    const first = await cluster.startEdge(network);
    await until(() => reverseConnections === 1, 'the reverse ws connection');

    // Injected from the origin's sandbox, 16 at a time; the sandbox numbers them in stream order.
    const injected: number[] = [];
    let next = 0;
    const injecting = Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < BURST) {
          next += 1;
          injected.push(await cluster!.inject(`burst ${next}`));
        }
      }),
    );
    const messages = () => receiver.posted.filter((event) => event.post_type === 'message');
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
    const firstSeen: number[] = [];
    const seen = new Set<number>();
    let redelivered = 0;
    for (const event of received) {
      if (event.redelivered === true) redelivered += 1;
      if (seen.has(event.message_id!)) {
        // A second copy is only ever one the first process may have posted without acknowledging.
        expect(event.redelivered).toBe(true);
        continue;
      }
      seen.add(event.message_id!);
      firstSeen.push(event.message_id!);
    }
    expect(firstSeen).toEqual([...injected].sort((a, b) => a - b));
    expect(received.length - BURST).toBeLessThanOrEqual(redelivered);
    console.log(
      `durable http-client: ${received.length} posts for ${BURST} events, ${redelivered} marked redelivered`,
    );
  }, 240_000);

  it('a durable ws client gets every event once in order after a SIGKILL, the unconfirmed ones again and marked', async () => {
    cluster = await startNatsCluster();
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(server, 'listening');
    closers.push(() => new Promise((resolve) => server.close(() => resolve())));
    const frames: Posted[] = [];
    server.on('connection', (socket) =>
      socket.on('message', (data) => frames.push(JSON.parse(String(data)) as Posted)),
    );
    const network = {
      websocketClients: [
        {
          name: 'durable-ws',
          enable: true,
          url: `ws://127.0.0.1:${(server.address() as { port: number }).port}/`,
          durable: true,
          reconnectInterval: 200,
        },
      ],
    };
    const first = await cluster.startEdge(network);
    const total = 2_000;
    const injected: number[] = [];
    let next = 0;
    const injecting = Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < total) {
          next += 1;
          injected.push(await cluster!.inject(`ws burst ${next}`));
        }
      }),
    );
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

    const seen = new Set<number>();
    const firstSeen: number[] = [];
    for (const frame of messages()) {
      if (seen.has(frame.message_id!)) {
        expect(frame.redelivered).toBe(true);
        continue;
      }
      seen.add(frame.message_id!);
      firstSeen.push(frame.message_id!);
    }
    expect(firstSeen).toEqual([...injected].sort((a, b) => a - b));
  }, 120_000);
});
