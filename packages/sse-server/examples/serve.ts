// Run: pnpm -F @onebot-gateway/sse-server exec tsx --conditions=@onebot-gateway/source examples/serve.ts
// Then: curl -N 'http://127.0.0.1:3000/_events?access_token=secret'
// or in a browser: new EventSource('http://127.0.0.1:3000/_events?access_token=secret').onmessage = (e) => console.log(JSON.parse(e.data))
import { createActionRouter, createAdapterContext, createEventBus } from '@onebot-gateway/core';
import { createSseServerAdapter } from '@onebot-gateway/sse-server';

const selfId = 10001;
const router = createActionRouter();
router.register('get_login_info', () => ({ user_id: selfId, nickname: 'ExampleBot' }));
const bus = createEventBus();
const context = createAdapterContext({ router, bus, selfId: () => selfId }, 'http-sse-server');

const adapter = createSseServerAdapter({ port: Number(process.env.PORT ?? 3000), token: 'secret' }, context);
await adapter.start();
process.stdout.write(`OneBot HTTP API + SSE on http://${adapter.status().address}/_events\n`);

// A message event every 2 s, so the stream has something to show.
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
