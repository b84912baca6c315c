// The README's usage example. Run: pnpm exec tsx --conditions=@onebot-gateway/source examples/quick-start.ts
import { createActionRouter, createEventBus, noopLogger } from '@onebot-gateway/core';
import { createSandboxBackend } from '@onebot-gateway/backend-sandbox';

const router = createActionRouter();
const bus = createEventBus();
const sandbox = createSandboxBackend({ config: { type: 'sandbox' }, router, bus, logger: noopLogger });
await sandbox.start();

bus.subscribe({ format: 'array', reportSelfMessage: true }, ({ event }) => {
  console.log(event.post_type, event.raw_message ?? event.notice_type);
});

// The other side speaks...
sandbox.simulateMessage({ message_type: 'group', group_id: 20001, user_id: 10001, message: 'hello bot' });
// ...and the bot answers through the router, as any adapter would call it.
const reply = await router.handle({
  action: 'send_group_msg',
  params: { group_id: 20001, message: '[CQ:at,qq=10001] hi!' },
});
console.log(reply.data); // { message_id: 2 }

console.log(sandbox.conversation({ message_type: 'group', group_id: 20001 }));
await sandbox.stop();
