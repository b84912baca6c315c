import { connectBotSocket, type BotSocket } from '@onebot-gateway/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { call, startServer, stopAll, waitFor } from './helpers.js';

const bots: BotSocket[] = [];
afterEach(async () => {
  await Promise.all(bots.splice(0).map((bot) => bot.close()));
  await stopAll();
});

async function openBot(url: string): Promise<BotSocket> {
  const bot = await connectBotSocket(url);
  if ('rejected' in bot) throw new Error(`handshake refused: ${bot.status}`);
  bots.push(bot);
  return bot;
}

// ws-server's peers test checks each remote against the client's own port; here, that the
// WebSockets of the HTTP port are the ones listed, in the order they opened.
describe('http-server status peers', () => {
  it('lists the WebSocket connections on the HTTP port (not plain HTTP ones), oldest first', async () => {
    const { url, port, adapter } = await startServer({ enableWebsocket: true });
    expect(adapter.status().peers).toEqual([]);
    const event = await openBot(`ws://127.0.0.1:${port}/event`);
    await openBot(`ws://127.0.0.1:${port}/`);
    // A keep-alive HTTP connection counts in `connections` but is no peer.
    expect((await call(`${url}/get_status`)).status).toBe(200);
    await waitFor(() => adapter.status().websocketConnections === 2);
    const status = adapter.status();
    const remote = expect.stringMatching(/^127\.0\.0\.1:\d+$/);
    expect(status.peers).toEqual([
      { remote, role: 'event', since: expect.any(String) },
      { remote, role: 'universal', since: expect.any(String) },
    ]);
    expect(status.peers![0]!.remote).not.toBe(status.peers![1]!.remote);
    expect(Date.parse(status.peers![0]!.since)).toBeLessThanOrEqual(Date.parse(status.peers![1]!.since));

    await event.close();
    await waitFor(() => adapter.status().websocketConnections === 1);
    expect(adapter.status().peers).toEqual([status.peers![1]]);
  });

  it('has no peers without enableWebsocket', async () => {
    const { url, adapter } = await startServer();
    expect((await call(`${url}/get_status`)).status).toBe(200);
    expect(adapter.status().peers).toEqual([]);
  });
});
