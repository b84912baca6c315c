import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { connectBotSocket } from '@onebot-gateway/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { startSseServer, stopAllSse, waitFor } from './helpers.js';

const requests: ClientRequest[] = [];
afterEach(async () => {
  for (const open of requests.splice(0)) open.destroy();
  await stopAllSse();
});

/** Open `/_events` on a fresh connection; resolves with the response and the client's local port. */
function openStream(url: string): Promise<{ response: IncomingMessage; localPort: number }> {
  return new Promise((resolve, reject) => {
    const open = request(`${url}/_events`, { agent: false, headers: { accept: 'text/event-stream' } });
    requests.push(open);
    open.once('response', (response) => resolve({ response, localPort: open.socket?.localPort ?? 0 }));
    open.once('error', reject);
    open.end();
  });
}

describe('sse-server status peers', () => {
  it('lists each open /_events stream with role sse, oldest first, and drops it when it closes', async () => {
    const { url, adapter } = await startSseServer();
    expect(adapter.status().peers).toEqual([]);
    const first = await openStream(url);
    const second = await openStream(url);
    expect(first.response.statusCode).toBe(200);
    await waitFor(() => adapter.streamCount() === 2);
    const { peers } = adapter.status();
    expect(peers).toEqual([
      { remote: `127.0.0.1:${first.localPort}`, role: 'sse', since: expect.any(String) },
      { remote: `127.0.0.1:${second.localPort}`, role: 'sse', since: expect.any(String) },
    ]);
    expect(peers![0]!.since).toBe(new Date(peers![0]!.since).toISOString());

    requests[0]!.destroy();
    await waitFor(() => adapter.streamCount() === 1);
    expect(adapter.status().peers!.map((peer) => peer.remote)).toEqual([`127.0.0.1:${second.localPort}`]);
  });

  it('merges event streams and WebSockets on the same port (enableWebsocket) by open time', async () => {
    const { url, port, adapter } = await startSseServer({ enableWebsocket: true });
    const stream = await openStream(url);
    const bot = await connectBotSocket(`ws://127.0.0.1:${port}/event`);
    if ('rejected' in bot) throw new Error(`handshake refused: ${bot.status}`);
    try {
      await waitFor(() => adapter.status().websocketConnections === 1);
      expect(adapter.status().peers).toEqual([
        { remote: `127.0.0.1:${stream.localPort}`, role: 'sse', since: expect.any(String) },
        { remote: expect.stringMatching(/^127\.0\.0\.1:\d+$/), role: 'event', since: expect.any(String) },
      ]);
    } finally {
      await bot.close();
    }
  });
});
