// Run: pnpm -F @onebot-gateway/http-server exec tsx --conditions=@onebot-gateway/source examples/serve.ts
// Then: curl -H 'Authorization: Bearer secret' 'http://127.0.0.1:3000/get_login_info'
import { createActionRouter, createAdapterContext, createEventBus } from '@onebot-gateway/core';
import { createHttpServerAdapter } from '@onebot-gateway/http-server';

const selfId = 10001;
const router = createActionRouter();
router.register('get_login_info', () => ({ user_id: selfId, nickname: 'ExampleBot' }));
router.register('send_private_msg', (params) => {
  // params arrive coerced by the standard schema: user_id is a number here.
  return { message_id: Number(params.user_id) % 1000 };
});
const bus = createEventBus();
const context = createAdapterContext({ router, bus, selfId: () => selfId }, 'http-server');

const adapter = createHttpServerAdapter(
  { port: Number(process.env.PORT ?? 3000), token: 'secret', enableWebsocket: true },
  context,
);
await adapter.start();
process.stdout.write(`OneBot HTTP API on http://${adapter.status().address} (WebSocket too)\n`);

process.once('SIGINT', () => void adapter.stop().then(() => process.exit(0)));
process.once('SIGTERM', () => void adapter.stop().then(() => process.exit(0)));
