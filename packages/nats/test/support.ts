import {
  createActionRouter,
  createAdapterContext,
  createEventBus,
  resolveAdapterConfig,
  resolveConfig,
  type ActionRouter,
  type EventBus,
  type NatsBackendConfig,
  type NatsBridgeConfig,
  type OneBotEvent,
} from '@onebot-gateway/core';
import { createRecordingLogger, type RecordingLogger } from '@onebot-gateway/testkit';
import {
  createNatsBackend,
  createNatsBridgeAdapter,
  type NatsBackend,
  type NatsBridgeAdapter,
} from '../src/index.js';

export const SELF_ID = 10000;

export interface Origin {
  bus: EventBus;
  router: ActionRouter;
  bridge: NatsBridgeAdapter;
  logger: RecordingLogger;
  /** Every action the origin's "account" ran, in order. */
  ran: Array<{ action: string; params: Record<string, unknown> }>;
}

/** An origin gateway in miniature: a bus, a router with a few handlers, one bridge adapter. */
export function createOrigin(natsUrl: string, entry: Partial<NatsBridgeConfig> = {}): Origin {
  const logger = createRecordingLogger();
  const bus = createEventBus();
  const router = createActionRouter();
  const ran: Origin['ran'] = [];
  let nextMessageId = 1;
  router.register('send_private_msg', (params) => {
    ran.push({ action: 'send_private_msg', params });
    return { message_id: nextMessageId++ };
  });
  router.register('get_login_info', () => ({ user_id: SELF_ID, nickname: 'origin' }));
  const context = createAdapterContext({ router, bus, selfId: () => SELF_ID, logger }, 'bridge');
  const config = resolveAdapterConfig('natsBridges', {
    name: 'bridge',
    enable: true,
    servers: [natsUrl],
    ...entry,
  } as never);
  return { bus, router, bridge: createNatsBridgeAdapter(config, context), logger, ran };
}

export interface Edge {
  bus: EventBus;
  router: ActionRouter;
  backend: NatsBackend;
  logger: RecordingLogger;
  events: OneBotEvent[];
}

/** An edge gateway in miniature: the nats backend feeding a bus and answering a router. */
export function createEdge(natsUrl: string, backend: Record<string, unknown> = {}): Edge {
  const logger = createRecordingLogger();
  const bus = createEventBus();
  const router = createActionRouter();
  const config = resolveConfig({
    gateway: { backend: { type: 'nats', servers: [natsUrl], selfId: SELF_ID, ...backend } },
  }).gateway.backend as NatsBackendConfig;
  const events: OneBotEvent[] = [];
  bus.subscribe({ format: 'array', reportSelfMessage: true }, (delivered) => events.push(delivered.event));
  return { bus, router, backend: createNatsBackend({ config, router, bus, logger }), logger, events };
}

export function privateMessage(index: number): OneBotEvent {
  return {
    time: 1_700_000_000 + index,
    self_id: SELF_ID,
    post_type: 'message',
    message_type: 'private',
    sub_type: 'friend',
    message_id: index,
    user_id: 10001,
    message: [{ type: 'text', data: { text: `event ${index}` } }],
    raw_message: `event ${index}`,
    font: 0,
    sender: { user_id: 10001, nickname: 'alice' },
  } as OneBotEvent;
}

/** Poll until `check` holds; bounded. */
export async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
