// The README's usage example, kept compiling by `tsc -p tsconfig.test.json`.
// Run: pnpm -F @onebot-gateway/ws-server build && npx tsx examples/basic.ts
import { createActionRouter, createAdapterContext, createEventBus } from '@onebot-gateway/core';
import { createWsServerAdapter } from '@onebot-gateway/ws-server';

const router = createActionRouter();
router.register('get_login_info', () => ({ user_id: 10001, nickname: 'MyBot' }));
const bus = createEventBus();
const context = createAdapterContext({ router, bus, selfId: () => 10001 }, 'websocket-server');

const adapter = createWsServerAdapter({ port: 3001, token: 'secret' }, context);
await adapter.start(); // rejects if the port is taken
console.log(adapter.status()); // { state: 'running', address: '127.0.0.1:3001', connections: 0, ... }

// Every connected event/universal client receives this, encoded once per format:
bus.publish({ time: 1, self_id: 10001, post_type: 'notice', notice_type: 'friend_add', user_id: 42 });

await adapter.reload({ ...adapter.config, messagePostFormat: 'string' }); // in place, no drop
await adapter.stop(); // every socket closed with 1001
