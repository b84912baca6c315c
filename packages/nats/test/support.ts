import { afterEach, beforeEach } from 'vitest';
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
import {
  createRecordingLogger,
  startNatsServer,
  type NatsServerProcess,
  type RecordingLogger,
  waitUntil,
} from '@onebot-gateway/testkit';
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

export interface NatsTestbed {
  /** This test's NATS server (a fresh one per test). */
  readonly nats: NatsServerProcess;
  /** createOrigin on this test's server (or `natsUrl`), stopped after the test. */
  origin(entry?: Partial<NatsBridgeConfig>, natsUrl?: string): Origin;
  /** createEdge on this test's server (or `natsUrl`), stopped after the test. */
  edge(backend?: Record<string, unknown>, natsUrl?: string): Edge;
}

/**
 * Call inside a describe block: a NATS server per test, and every origin and
 * edge made through the testbed stopped after it (edges, then origins, then
 * the server).
 */
export function useNatsTestbed(): NatsTestbed {
  let nats: NatsServerProcess | undefined;
  const origins: Origin[] = [];
  const edges: Edge[] = [];

  beforeEach(async () => {
    nats = await startNatsServer();
  });

  afterEach(async () => {
    await Promise.all(edges.splice(0).map((edge) => edge.backend.stop()));
    await Promise.all(origins.splice(0).map((origin) => origin.bridge.stop()));
    await nats!.stop();
  });

  const testbed: NatsTestbed = {
    get nats() {
      if (!nats) throw new Error('the NATS server starts in beforeEach: use the testbed inside a test');
      return nats;
    },
    origin(entry = {}, natsUrl = testbed.nats.url) {
      const origin = createOrigin(natsUrl, entry);
      origins.push(origin);
      return origin;
    },
    edge(backend = {}, natsUrl = testbed.nats.url) {
      const edge = createEdge(natsUrl, backend);
      edges.push(edge);
      return edge;
    },
  };
  return testbed;
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

/** Poll until `check` holds; bounded (10 s unless told). */
export const until = (check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> =>
  waitUntil(check, what, timeoutMs, 20);
