import { jetstreamManager, JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  noopLogger,
  OneBotError,
  type Backend,
  type BackendOptions,
  type BackendStatus,
  type NatsBackendConfig,
} from '@onebot-gateway/core';
import { createActionClient } from './action-client.js';
import { describeServers, NATS_RECONNECT_WAIT_MS, validateServers } from './connection.js';
import { createDurableFeeds } from './durable-feeds.js';
import { createEventConsumer } from './event-consumer.js';
import { createMessageDrops } from './message-drops.js';
import { createNatsLink } from './nats-link.js';
import { accountEventsFilter, actionSubject } from './subjects.js';

export interface NatsBackend extends Backend {
  readonly type: 'nats';
  /** True while NATS is connected and the account's events are being read. */
  connected(): boolean;
}

export type NatsBackendOptions = BackendOptions<NatsBackendConfig>;

/**
 * Throws a CONFIG_INVALID OneBotError naming the key for a `gateway.backend`
 * of type "nats" that `start()` would refuse; connects to nothing.
 */
export function validateNatsBackendConfig(config: Partial<NatsBackendConfig>): void {
  validateServers(config.servers ?? [], 'gateway.backend');
  if (!Number.isSafeInteger(config.selfId) || (config.selfId ?? 0) < 1) {
    throw new OneBotError(
      'CONFIG_INVALID',
      'gateway.backend.selfId: give the account this edge serves (its QQ number)',
    );
  }
}

async function requireStream(connection: NatsConnection, stream: string): Promise<void> {
  const manager = await jetstreamManager(connection);
  try {
    await manager.streams.info(stream);
  } catch (error) {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) {
      throw new Error(
        `JetStream stream "${stream}" does not exist yet; the origin's natsBridges entry creates it when it connects`,
        { cause: error },
      );
    }
    throw error;
  }
}

/**
 * The edge side of distributed mode (`gateway.backend.type: "nats"`): the
 * account's events come from the JetStream stream, its actions go to the
 * origin by request/reply. Stateless: any number of edges, each with the
 * usual adapters in front. NATS down at start is not fatal: the edge starts
 * degraded (health says why) and recovers by itself.
 */
export function createNatsBackend({
  config,
  router,
  bus,
  logger = noopLogger,
}: NatsBackendOptions): NatsBackend {
  const log = logger.child({ backend: 'nats' });
  const servers = describeServers(config.servers);
  const drops = createMessageDrops(log);
  const consumer = createEventConsumer({
    stream: config.stream,
    filter: accountEventsFilter(config.subjectPrefix, config.selfId),
    maxPayload: config.maxPayload,
    bus,
    drops,
  });
  const link = createNatsLink({
    config,
    clientName: `onebot-gateway edge for ${config.selfId}`,
    log,
    async onConnected(connection) {
      await requireStream(connection, config.stream);
      await consumer.start(connection);
      await durable.resume(connection);
    },
  });
  const durable = createDurableFeeds({
    stream: config.stream,
    filter: accountEventsFilter(config.subjectPrefix, config.selfId),
    maxPayload: config.maxPayload,
    drops,
    log,
    connection: () => link.connection(),
  });
  const send = createActionClient({
    subject: actionSubject(config.subjectPrefix, config.selfId),
    timeout: config.actionTimeout,
    maxPayload: config.maxPayload,
    servers,
    reconnectInterval: NATS_RECONNECT_WAIT_MS,
    connection: () => link.connection(),
  });
  let stopped = true;

  router.setFallback(({ action, params }) => send(action, params));

  const connected = () => !stopped && link.connection() !== undefined && consumer.running();

  return {
    type: 'nats',
    async start() {
      if (!stopped) return;
      validateNatsBackendConfig(config);
      stopped = false;
      log.info(
        { servers, stream: config.stream, selfId: config.selfId },
        `reading account ${config.selfId} from NATS ${servers} (stream ${config.stream})`,
      );
      await link.start();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      consumer.stop();
      durable.stopAll();
      await link.stop();
    },
    selfId: () => config.selfId,
    connected,
    durableEvents: () => durable,
    status(): BackendStatus {
      const isConnected = connected();
      const lastError = link.lastError();
      return {
        online: isConnected,
        good: isConnected,
        ...(!isConnected && lastError ? { lastError } : {}),
        nats: {
          servers,
          state: stopped ? 'stopped' : link.state(),
          connected: isConnected,
          stream: config.stream,
          subjects: accountEventsFilter(config.subjectPrefix, config.selfId),
          lastSequence: consumer.lastSequence(),
          reconnects: link.reconnects(),
          droppedMessages: drops.total(),
          ...(drops.last() ? { lastDroppedMessage: drops.last() } : {}),
          ...(lastError ? { lastError } : {}),
        },
      };
    },
  };
}
