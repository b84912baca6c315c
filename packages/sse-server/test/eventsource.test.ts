import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { EventSource } from 'eventsource';
import { afterEach, describe, expect, it } from 'vitest';
import { CONFORMANCE_TOKEN } from '@onebot-gateway/testkit';
import { startSseServer, stopAllSse, waitFor as waitForWithin } from './helpers.js';

/*
 * The adapter driven by a spec-conformant EventSource (the `eventsource`
 * package, which follows the WHATWG rules browsers implement): auth by
 * `access_token`, since EventSource cannot set headers, and the automatic
 * reconnect with Last-Event-ID that the replay buffer serves.
 */

const sources: EventSource[] = [];
const proxies: Server[] = [];
afterEach(async () => {
  for (const source of sources.splice(0)) source.close();
  for (const proxy of proxies.splice(0)) await new Promise((resolve) => proxy.close(resolve));
  await stopAllSse();
});

/** A TCP proxy in front of the adapter whose `cut()` drops every connection, as a flaky network would. */
async function startProxy(targetPort: number): Promise<{ port: number; cut(): void }> {
  const pairs = new Set<[Socket, Socket]>();
  const proxy = createServer((client) => {
    const upstream = tcpConnect(targetPort, '127.0.0.1');
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    client.pipe(upstream).pipe(client);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  proxies.push(proxy);
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    port: (proxy.address() as AddressInfo).port,
    cut() {
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream.destroy();
      }
      pairs.clear();
    },
  };
}

interface Received {
  id: string;
  data: Record<string, unknown>;
}

function open(url: string): { source: EventSource; received: Received[]; errors: number[]; opens: number[] } {
  const source = new EventSource(url);
  sources.push(source);
  const state = { source, received: [] as Received[], errors: [] as number[], opens: [] as number[] };
  source.onmessage = (event) => state.received.push({ id: event.lastEventId, data: JSON.parse(event.data) });
  source.onopen = () => state.opens.push(Date.now());
  source.onerror = (event) => state.errors.push((event as { code?: number }).code ?? 0);
  return state;
}

/** Waits for `condition`, naming it when it never comes. */
const waitFor = (condition: () => boolean, what: string, timeoutMs = 5000) =>
  waitForWithin(condition, timeoutMs).catch((error: Error) => {
    throw new Error(`${what}: ${error.message}`);
  });

const messageIds = (received: Received[]) =>
  received.filter((r) => r.data.post_type === 'message').map((r) => r.data.message_id);

describe('sse-server with a real EventSource', () => {
  it('authenticates by access_token, starts with lifecycle connect, and reconnects with Last-Event-ID to get what it missed', async () => {
    const { port, backend } = await startSseServer({ token: CONFORMANCE_TOKEN });
    const proxy = await startProxy(port);
    const client = open(`http://127.0.0.1:${proxy.port}/_events?access_token=${CONFORMANCE_TOKEN}`);
    await waitFor(() => client.received.length === 1, 'lifecycle connect');
    expect(client.received[0]!.data).toMatchObject({
      post_type: 'meta_event',
      meta_event_type: 'lifecycle',
      sub_type: 'connect',
    });

    backend.emitMessage({ message_id: 1 });
    await waitFor(() => messageIds(client.received).includes(1), 'message 1');

    // The network drops the stream; events published meanwhile must come after the reconnect.
    proxy.cut();
    await waitFor(() => client.errors.length >= 1, 'the EventSource to notice');
    backend.emitMessage({ message_id: 2 });
    backend.emitMessage({ message_id: 3 });
    await waitFor(() => client.opens.length === 2, 'the automatic reconnect', 10_000);
    await waitFor(() => messageIds(client.received).includes(3), 'the replayed events');
    backend.emitMessage({ message_id: 4 });
    await waitFor(() => messageIds(client.received).includes(4), 'a live event after the replay');

    expect(messageIds(client.received)).toEqual([1, 2, 3, 4]);
    // Every event carries an id, and the ids only grow: that is what Last-Event-ID resumes from.
    const ids = client.received.map((r) => Number(r.id));
    expect(ids.every((id) => Number.isInteger(id))).toBe(true);
    const eventIds = client.received.filter((r) => r.data.post_type === 'message').map((r) => Number(r.id));
    expect([...eventIds].sort((a, b) => a - b)).toEqual(eventIds);
  });

  it('a wrong access_token fails the EventSource for good (403), it does not retry forever', async () => {
    const { port } = await startSseServer({ token: CONFORMANCE_TOKEN });
    const client = open(`http://127.0.0.1:${port}/_events?access_token=wrong`);
    await waitFor(() => client.source.readyState === EventSource.CLOSED, 'the EventSource to give up');
    expect(client.errors).toEqual([403]);
    expect(client.received).toEqual([]);
  });
});
