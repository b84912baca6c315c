// A runnable forward WebSocket server that publishes a message event every 2 s.
// Run: pnpm -F @onebot-gateway/ws-server exec tsx --conditions=@onebot-gateway/source examples/basic.ts
// Then connect a bot, e.g. with wscat: npx wscat -c 'ws://127.0.0.1:3001/?access_token=secret'
// and send {"action":"get_login_info","echo":1}. Ctrl-C stops it (every socket gets close 1001).
import { createActionRouter, createAdapterContext, createEventBus } from '@onebot-gateway/core';
import { createWsServerAdapter } from '@onebot-gateway/ws-server';

const selfId = 10001;
const router = createActionRouter();
router.register('get_login_info', () => ({ user_id: selfId, nickname: 'MyBot' }));
const bus = createEventBus();
const context = createAdapterContext({ router, bus, selfId: () => selfId }, 'websocket-server');

const adapter = createWsServerAdapter({ port: Number(process.env.PORT ?? 3001), token: 'secret' }, context);
await adapter.start(); // rejects if the port is taken
process.stdout.write(`OneBot forward WebSocket on ws://${adapter.status().address} (/, /api, /event)\n`);

// Every connected event/universal client receives each event, encoded once per format.
let messageId = 0;
const ticker = setInterval(() => {
  messageId += 1;
  bus.publish({
    time: Math.floor(Date.now() / 1000),
    self_id: selfId,
    post_type: 'message',
    message_type: 'private',
    sub_type: 'friend',
    message_id: messageId,
    user_id: 20002,
    message: [{ type: 'text', data: { text: `hello #${messageId}` } }],
    raw_message: `hello #${messageId}`,
    font: 0,
    sender: { user_id: 20002, nickname: 'Alice' },
  });
}, 2000);

const shutdown = () => {
  clearInterval(ticker);
  void adapter.stop().then(() => process.exit(0));
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
