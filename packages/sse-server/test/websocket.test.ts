import { connectBotSocket, type BotSocket } from '@onebot-gateway/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, startSseServer, stopAllSse } from './helpers.js';

const bots: BotSocket[] = [];
afterEach(async () => {
  await Promise.all(bots.splice(0).map((bot) => bot.close()));
  await stopAllSse();
});

async function openBot(url: string): Promise<BotSocket> {
  const bot = await connectBotSocket(url);
  if ('rejected' in bot) throw new Error(`handshake refused with ${bot.status}`);
  bots.push(bot);
  return bot;
}

describe('sse-server with enableWebsocket', () => {
  it('serves SSE streams and WebSocket clients on one port, /_events upgrades included', async () => {
    const { url, port, backend } = await startSseServer({ enableWebsocket: true });
    const stream = await connect(`${url}/_events`);
    const universal = await openBot(`ws://127.0.0.1:${port}/_events`);
    const events = await openBot(`ws://127.0.0.1:${port}/event`);
    for (const next of [
      () => stream.next().then((m) => m.json),
      () => universal.next(),
      () => events.next(),
    ]) {
      expect(await next()).toMatchObject({ meta_event_type: 'lifecycle', sub_type: 'connect' });
    }
    const sent = backend.emitMessage();
    expect((await stream.next()).json.message_id).toBe(sent.message_id);
    expect((await universal.next()).message_id).toBe(sent.message_id);
    expect((await events.next()).message_id).toBe(sent.message_id);
  });
});
