import {
  type Adapter,
  type AdapterContext,
  type AdapterStatus,
  type NatsBridgeConfig,
} from '@onebot-gateway/core';
import { createAdapterCounters, createAdapterLifecycle } from '@onebot-gateway/core/internal';
import { createActionServer } from './action-server.js';
import { describeServers, validateServers } from './connection.js';
import { createEventPublisher } from './event-publisher.js';
import { createMessageDrops } from './message-drops.js';
import { createNatsLink } from './nats-link.js';
import { ensureEventStream } from './stream.js';

/** How long `stop()` waits for NATS to store what is still buffered. */
export const STOP_DRAIN_MS = 2_000;

export interface NatsBridgeAdapter extends Adapter<NatsBridgeConfig> {
  readonly kind: 'natsBridges';
}

/** Keys whose change needs a new connection and a new stream set-up: the adapter restarts itself. */
const restartKeys = [
  'servers',
  'token',
  'user',
  'pass',
  'subjectPrefix',
  'stream',
  'maxAge',
  'maxBytes',
  'replicas',
  'maxBufferedBytes',
] as const;

/**
 * The origin side of distributed mode (a `network.natsBridges` entry): every
 * event of this gateway goes to a JetStream stream, and the account's action
 * subject is served through this gateway's router. NATS may come and go;
 * events wait in a bounded buffer meanwhile, and status() says what it holds.
 */
export function createNatsBridgeAdapter(
  initial: NatsBridgeConfig,
  context: AdapterContext,
): NatsBridgeAdapter {
  let config = initial;
  const log = context.logger;
  const counters = createAdapterCounters();
  const drops = createMessageDrops(log);
  let unsubscribe: (() => void) | undefined;

  function build() {
    const link = createNatsLink({
      config,
      clientName: `onebot-gateway origin ${config.name}`,
      log,
      async onConnected(connection) {
        await ensureEventStream(connection, config);
        actions.serve(connection, context.selfId());
      },
      onReady: () => publisher.flush(),
    });
    const publisher = createEventPublisher({
      subjectPrefix: config.subjectPrefix,
      maxBufferedBytes: config.maxBufferedBytes,
      log,
      connection: () => link.connection(),
      selfId: () => context.selfId(),
      onAccount(selfId) {
        // A relay origin learns its account after connecting: follow it on the next event.
        const connection = link.connection();
        if (connection) actions.serve(connection, selfId);
      },
    });
    const actions = createActionServer({
      subjectPrefix: config.subjectPrefix,
      context,
      log,
      drops,
      onAnswered: () => (counters.actionsHandled += 1),
    });
    return { link, publisher, actions };
  }

  let parts = build();
  /** The parts were stopped (a publisher and a link do not start twice): the next open builds new ones. */
  let partsStopped = false;

  function subscribe(): void {
    unsubscribe?.();
    unsubscribe = context.subscribe(
      {
        format: config.messagePostFormat,
        // Every event crosses: each edge adapter applies its own reportSelfMessage.
        reportSelfMessage: true,
        filter: () => config.filter,
      },
      (delivered) => {
        // Each edge adapter makes its own lifecycle and heartbeat events.
        if (delivered.event.post_type === 'meta_event') return;
        let json: Buffer;
        try {
          json = delivered.buffer;
        } catch (error) {
          counters.recordError(error);
          return;
        }
        counters.eventsSent += 1;
        if (config.debug) log.debug({ event: delivered.event.post_type }, 'publishing event to NATS');
        parts.publisher.enqueue(delivered.event, json);
      },
    );
  }

  async function open(): Promise<void> {
    validateServers(config.servers, `network.natsBridges "${config.name}"`);
    if (partsStopped) {
      parts = build();
      partsStopped = false;
    }
    subscribe();
    log.info(
      { servers: describeServers(config.servers), stream: config.stream },
      `publishing events to NATS ${describeServers(config.servers)} (stream ${config.stream}, subjects ${config.subjectPrefix}.<self_id>.event.>)`,
    );
    await parts.link.start();
  }

  async function close(): Promise<void> {
    unsubscribe?.();
    unsubscribe = undefined;
    // What NATS has not stored yet gets a moment (while NATS is up); what is left is lost with this process.
    if (parts.link.connection() && !(await parts.publisher.drained(STOP_DRAIN_MS))) {
      const left = parts.publisher.status();
      log.warn(
        { bufferedEvents: left.bufferedEvents, bufferedBytes: left.bufferedBytes },
        `stopping with ${left.bufferedEvents} events not yet stored in NATS; they are lost`,
      );
    } else if (!parts.link.connection() && parts.publisher.status().bufferedEvents > 0) {
      log.warn(
        { bufferedEvents: parts.publisher.status().bufferedEvents },
        `stopping while NATS is unreachable: ${parts.publisher.status().bufferedEvents} buffered events are lost`,
      );
    }
    parts.publisher.stop();
    parts.actions.stop();
    partsStopped = true;
    await parts.link.stop();
  }

  const lifecycle = createAdapterLifecycle({
    open,
    close,
    onError: (error) => counters.recordError(error),
  });

  return {
    name: initial.name,
    kind: 'natsBridges',
    start: () => lifecycle.start(),
    stop: () => lifecycle.stop(),
    reload: (next) =>
      lifecycle.serially(async () => {
        const restart = restartKeys.some((key) => JSON.stringify(config[key]) !== JSON.stringify(next[key]));
        const reformat = config.messagePostFormat !== next.messagePostFormat;
        config = next;
        const running = lifecycle.state === 'running';
        if (!restart) {
          // filter and debug are read per event; the format is the subscription's.
          if (reformat && running) subscribe();
          return;
        }
        // A new connection and stream set-up for the new entry (status shows its subjects at once).
        if (running) {
          await lifecycle.reopen();
          return;
        }
        parts = build();
        partsStopped = false;
      }),
    status(): AdapterStatus {
      const state = lifecycle.state;
      const published = parts.publisher.status();
      const linkState = parts.link.state();
      const connected = parts.link.connection() !== undefined;
      const lastError = parts.link.lastError() ?? published.lastPublishError ?? counters.lastError;
      const holding = `holding ${published.bufferedEvents} events (${published.bufferedBytes} of ${published.maxBufferedBytes} bytes), dropped ${published.droppedEvents}`;
      return {
        state,
        url: describeServers(config.servers),
        connections: connected ? 1 : 0,
        eventsSent: counters.eventsSent,
        actionsHandled: counters.actionsHandled,
        errors: counters.errors + drops.total(),
        ...(lastError ? { lastError } : {}),
        ...(state === 'running' && !connected
          ? { degraded: `NATS is ${linkState === 'connecting' ? 'unreachable' : linkState}; ${holding}` }
          : {}),
        nats: {
          state: linkState,
          connected,
          stream: config.stream,
          actionSubject: parts.actions.subject(),
          reconnects: parts.link.reconnects(),
          droppedMessages: drops.total(),
          ...(drops.last() ? { lastDroppedMessage: drops.last() } : {}),
          ...published,
        },
      };
    },
  };
}
