import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { call, startServer, stopAll, waitFor } from './helpers.js';

const clients: WebSocket[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.terminate();
  await stopAll();
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

describe('http-server status peers', () => {
  it('lists the WebSocket connections on the HTTP port (not plain HTTP ones), oldest first', async () => {
    const { url, port, adapter } = await startServer({ enableWebsocket: true });
    expect(adapter.status().peers).toEqual([]);
    const event = await openClient(`ws://127.0.0.1:${port}/event`);
    const universal = await openClient(`ws://127.0.0.1:${port}/`);
    // A keep-alive HTTP connection counts in `connections` but is no peer.
    expect((await call(`${url}/get_status`)).status).toBe(200);
    await waitFor(() => adapter.status().websocketConnections === 2);
    const status = adapter.status();
    expect(status.peers).toEqual([
      { remote: `127.0.0.1:${event.localPort}`, role: 'event', since: expect.any(String) },
      { remote: `127.0.0.1:${universal.localPort}`, role: 'universal', since: expect.any(String) },
    ]);
    expect(Date.parse(status.peers![0]!.since)).toBeLessThanOrEqual(Date.parse(status.peers![1]!.since));

    event.ws.close();
    await waitFor(() => adapter.status().websocketConnections === 1);
    expect(adapter.status().peers).toEqual([
      { remote: `127.0.0.1:${universal.localPort}`, role: 'universal', since: status.peers![1]!.since },
    ]);
  });

  it('has no peers without enableWebsocket', async () => {
    const { url, adapter } = await startServer();
    expect((await call(`${url}/get_status`)).status).toBe(200);
    expect(adapter.status().peers).toEqual([]);
  });
});
