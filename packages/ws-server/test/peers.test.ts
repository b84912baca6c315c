import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createHarness, waitFor, type Harness } from './helpers.js';

let h: Harness;
const clients: WebSocket[] = [];
beforeEach(() => {
  h = createHarness();
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.terminate();
  await h.teardown();
});

/** A plain `ws` client; resolves with it and the local port the server sees it from. */
function openClient(url: string): Promise<{ ws: WebSocket; localPort: number }> {
  const ws = new WebSocket(url);
  clients.push(ws);
  return new Promise((resolve, reject) => {
    let localPort = 0;
    ws.once('upgrade', (response) => (localPort = response.socket.localPort ?? 0));
    ws.once('open', () => resolve({ ws, localPort }));
    ws.once('error', reject);
  });
}

describe('ws-server status peers', () => {
  it('lists every open connection with its remote address:port, role and open time, oldest first', async () => {
    const adapter = await h.start({ name: 'ws-peers' });
    expect(adapter.status().peers).toEqual([]);
    const before = Date.now();
    const universal = await openClient(`ws://${adapter.status().address}/`);
    const api = await openClient(`ws://${adapter.status().address}/api`);
    const event = await openClient(`ws://${adapter.status().address}/event/`);
    await waitFor(() => adapter.status().connections === 3, 'three sessions');
    const { peers, connections } = adapter.status();
    expect(connections).toBe(3);
    expect(peers).toEqual([
      { remote: `127.0.0.1:${universal.localPort}`, role: 'universal', since: expect.any(String) },
      { remote: `127.0.0.1:${api.localPort}`, role: 'api', since: expect.any(String) },
      { remote: `127.0.0.1:${event.localPort}`, role: 'event', since: expect.any(String) },
    ]);
    for (const peer of peers!) {
      expect(peer.since).toBe(new Date(peer.since).toISOString());
      expect(Date.parse(peer.since)).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(peer.since)).toBeLessThanOrEqual(Date.now());
    }

    // A client that leaves leaves the list; the others keep their place.
    api.ws.close();
    await waitFor(() => adapter.status().connections === 2, 'the api client gone');
    expect(adapter.status().peers!.map((peer) => peer.role)).toEqual(['universal', 'event']);

    await adapter.stop();
    expect(adapter.status()).toMatchObject({ connections: 0, peers: [] });
  });

  it('lists at most 100 peers while connections counts them all', async () => {
    const adapter = await h.start({ name: 'ws-many' });
    const url = `ws://${adapter.status().address}/event`;
    const first = await openClient(url);
    await Promise.all(Array.from({ length: 104 }, () => openClient(url)));
    await waitFor(() => adapter.status().connections === 105, '105 sessions', 10_000);
    const { peers } = adapter.status();
    expect(peers).toHaveLength(100);
    expect(peers![0]!.remote).toBe(`127.0.0.1:${first.localPort}`);
  }, 20_000);
});
