/**
 * Sandbox throughput, as ratios to raw baselines measured in the same run:
 * - send_group_msg through the router into the sandbox (normalise, store,
 *   publish message_sent) vs the same router with a handler that answers an
 *   id and publishes a prebuilt event: the least any backend does, so the
 *   ratio is what the simulated account itself costs per action.
 * - simulateMessage (validate, store, publish) vs bus.publish of a prebuilt
 *   event: what the operator side costs per injected message.
 * Both sides have one array-format subscriber that reads the shared JSON, as
 * an adapter would. Run: pnpm -F @onebot-gateway/backend-sandbox bench
 */
import { createActionRouter, createEventBus, noopLogger, type OneBotEvent } from '@onebot-gateway/core';
import { createSandboxBackend } from '../src/index.js';

const DURATION_MS = 2000;
const GROUP = 20001;
const message = [
  { type: 'at', data: { qq: '10001' } },
  { type: 'text', data: { text: ' hello from the benchmark, with some words to carry' } },
  { type: 'face', data: { id: '14' } },
];

async function measure(name: string, run: () => unknown): Promise<number> {
  // Warm up, then count operations in a fixed window.
  for (let i = 0; i < 2000; i += 1) await run();
  let operations = 0;
  const start = performance.now();
  while (performance.now() - start < DURATION_MS) {
    for (let i = 0; i < 200; i += 1) await run();
    operations += 200;
  }
  const perSecond = operations / ((performance.now() - start) / 1000);
  console.log(`${name.padEnd(52)} ${Math.round(perSecond).toLocaleString('en-US').padStart(12)} ops/s`);
  return perSecond;
}

function subscribedBus() {
  const bus = createEventBus();
  let bytes = 0;
  bus.subscribe({ format: 'array', reportSelfMessage: true }, (delivered) => {
    bytes += delivered.json.length;
  });
  return { bus, bytes: () => bytes };
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${DURATION_MS} ms per case\n`);

  const event: OneBotEvent = {
    time: 0,
    self_id: 10000,
    post_type: 'message',
    message_type: 'group',
    sub_type: 'normal',
    message_id: 1,
    group_id: GROUP,
    user_id: 10001,
    anonymous: null,
    message,
    raw_message: '',
    font: 0,
    sender: { user_id: 10001, nickname: 'Alice' },
  };

  const baselineRouter = createActionRouter();
  const baselineBus = subscribedBus();
  let nextId = 0;
  baselineRouter.register('send_group_msg', () => {
    nextId += 1;
    baselineBus.bus.publish({ ...event, post_type: 'message_sent', message_id: nextId });
    return { message_id: nextId };
  });
  const baseline = await measure('router + id + publish prebuilt event (baseline)', () =>
    baselineRouter.handle({ action: 'send_group_msg', params: { group_id: GROUP, message } }),
  );

  const router = createActionRouter();
  const withSandbox = subscribedBus();
  const sandbox = createSandboxBackend({
    config: { type: 'sandbox' },
    router,
    bus: withSandbox.bus,
    logger: noopLogger,
  });
  await sandbox.start();
  const sent = await measure('router + sandbox send_group_msg (store + publish)', () =>
    router.handle({ action: 'send_group_msg', params: { group_id: GROUP, message } }),
  );

  const rawBus = subscribedBus();
  const rawPublish = await measure('bus.publish of a prebuilt event (baseline)', () =>
    rawBus.bus.publish({ ...event }),
  );
  const simulated = await measure('sandbox simulateMessage (validate + store + publish)', () =>
    sandbox.simulateMessage({ message_type: 'group', group_id: GROUP, user_id: 10001, message }),
  );

  console.log('\nratios (sandbox / baseline; 1.00 = free):');
  console.log(`  send_group_msg   ${(sent / baseline).toFixed(2)}x of the router baseline throughput`);
  console.log(`  simulateMessage  ${(simulated / rawPublish).toFixed(2)}x of the raw publish throughput`);
  console.log(
    `  memory after run: ${Math.round(process.memoryUsage().heapUsed / 1e6)} MB heap (history capped at ${sandbox.config.historyLimit} per conversation)`,
  );
  await sandbox.stop();
  router.dispose();
  baselineRouter.dispose();
  if (withSandbox.bytes() === 0 || rawBus.bytes() === 0 || baselineBus.bytes() === 0)
    throw new Error('subscribers saw nothing: the benchmark is broken');
}

await main();
