import {
  AckPolicy,
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  JetStreamApiCodes,
  JetStreamApiError,
  type ConsumerInfo,
  type ConsumerMessages,
  type JsMsg,
} from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import {
  type DurableDelivery,
  type DurableEventSource,
  type DurableSubscription,
  type Logger,
} from '@onebot-gateway/core';
import { readEvent } from './event-consumer.js';
import type { MessageDrops } from './message-drops.js';
import { readStreamSince } from './stream-replay.js';
import { viewFor } from './subscriber-view.js';

/**
 * How long JetStream waits for an acknowledgement before it hands an event
 * out again: longer than an http-client's default timeout with all retries.
 */
export const DURABLE_ACK_WAIT_MS = 60_000;

export interface DurableFeedsOptions {
  stream: string;
  filter: string;
  maxPayload: number;
  drops: MessageDrops;
  log: Logger;
  /** The connection while it is up. */
  connection(): NatsConnection | undefined;
}

export interface DurableFeeds extends DurableEventSource {
  /** (Re)start every registered feed on this connection: after each (re)connection. */
  resume(connection: NatsConnection): Promise<void>;
  stopAll(): void;
}

interface Feed {
  subscription: DurableSubscription;
  listener: (delivery: DurableDelivery) => void;
  messages: ConsumerMessages | undefined;
  /** Events up to this stream sequence were handed out before (to this process or the last), unacknowledged. */
  redeliveredUpTo: number;
  /** The highest stream sequence this process was handed: a restarted server may have forgotten it. */
  highestSeen: number;
  stopped: boolean;
}

function isConsumerNotFound(error: unknown): boolean {
  return error instanceof JetStreamApiError && error.code === JetStreamApiCodes.ConsumerNotFound;
}

/**
 * Durable consumers for the client adapters of an edge. Each is a JetStream
 * durable pull consumer on the account's events, explicitly acknowledged by
 * the adapter; at most `maxInFlight` unacknowledged at once.
 *
 * When a process starts (or reconnects) and finds its consumer with events
 * handed out but never acknowledged (the last process was killed, or the
 * server restarted), it recreates the consumer at the acknowledgement floor,
 * so those events come again at once and in order, instead of after the ack
 * wait and behind newer ones. They are marked `redelivered`. One running
 * process per consumer name, therefore.
 */
export function createDurableFeeds(options: DurableFeedsOptions): DurableFeeds {
  const feeds = new Set<Feed>();

  async function takeOver(connection: NatsConnection, feed: Feed): Promise<void> {
    const manager = await jetstreamManager(connection);
    const { name, maxInFlight } = feed.subscription;
    let info: ConsumerInfo | undefined;
    try {
      info = await manager.consumers.info(options.stream, name);
    } catch (error) {
      if (!isConsumerNotFound(error)) throw error;
    }
    let startSequence = 0;
    // Also after a reconnection: what the server handed out just before it went away may never have
    // arrived, and would otherwise wait out the whole ack wait. Duplicates are marked; loss is not an option.
    if (info && info.num_ack_pending > 0) {
      startSequence = info.ack_floor.stream_seq + 1;
      // A server killed and restarted can lose its latest consumer state: what this process saw counts too.
      feed.redeliveredUpTo = Math.max(info.delivered.stream_seq, feed.highestSeen);
      options.log.info(
        { consumer: name, from: startSequence, upTo: feed.redeliveredUpTo },
        `durable consumer ${name}: ${info.num_ack_pending} events were handed out and never acknowledged; delivering them again from sequence ${startSequence}`,
      );
      await manager.consumers.delete(options.stream, name);
      info = undefined;
    }
    if (!info) {
      await manager.consumers.add(options.stream, {
        durable_name: name,
        filter_subject: options.filter,
        ack_policy: AckPolicy.Explicit,
        ack_wait: nanos(DURABLE_ACK_WAIT_MS),
        max_ack_pending: maxInFlight,
        ...(startSequence > 0
          ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: startSequence }
          : { deliver_policy: DeliverPolicy.New }),
      });
    }
  }

  function handle(feed: Feed, message: JsMsg): void {
    const { subscription } = feed;
    const read = readEvent(message.data, options.maxPayload);
    const seenBefore = message.seq <= feed.highestSeen;
    feed.highestSeen = Math.max(feed.highestSeen, message.seq);
    if ('problem' in read) {
      options.drops.record(message.subject, read.problem);
      // Acknowledged: a bad message would otherwise come back forever.
      message.ack();
      return;
    }
    const formatted = viewFor(read.event, subscription);
    if (!formatted) {
      message.ack();
      return;
    }
    const redelivered = message.redelivered || message.seq <= feed.redeliveredUpTo || seenBefore;
    const body = redelivered ? { ...formatted, redelivered: true } : formatted;
    let acked = false;
    feed.listener({
      event: formatted,
      buffer: Buffer.from(JSON.stringify(body)),
      sequence: message.seq,
      redelivered,
      ack() {
        if (acked) return;
        acked = true;
        message.ack();
      },
    });
  }

  async function start(connection: NatsConnection, feed: Feed): Promise<void> {
    if (feed.stopped) return;
    feed.messages?.stop();
    feed.messages = undefined;
    await takeOver(connection, feed);
    if (feed.stopped) return;
    const consumer = await jetstream(connection).consumers.get(options.stream, feed.subscription.name);
    const messages = await consumer.consume({ max_messages: Math.min(feed.subscription.maxInFlight, 1000) });
    feed.messages = messages;
    void (async () => {
      for await (const message of messages) {
        try {
          handle(feed, message);
        } catch (error) {
          options.drops.record(message.subject, `could not be delivered (${(error as Error).message})`);
        }
      }
    })()
      .catch(() => undefined)
      .finally(() => {
        if (feed.messages === messages) feed.messages = undefined;
      });
  }

  function startLogged(connection: NatsConnection, feed: Feed): Promise<void> {
    return start(connection, feed).catch((error: unknown) => {
      options.log.warn(
        { consumer: feed.subscription.name },
        `durable consumer ${feed.subscription.name} could not start: ${(error as Error).message}; retrying on the next connection`,
      );
    });
  }

  return {
    async subscribe(subscription, listener) {
      const feed: Feed = {
        subscription,
        listener,
        messages: undefined,
        redeliveredUpTo: 0,
        highestSeen: 0,
        stopped: false,
      };
      feeds.add(feed);
      const connection = options.connection();
      if (connection) await startLogged(connection, feed);
      return async () => {
        feed.stopped = true;
        feeds.delete(feed);
        // Stops pulling; unacknowledged events stay with the consumer for the next process.
        feed.messages?.stop();
        feed.messages = undefined;
      };
    },
    async readSince(afterSequence, subscription, maxEvents) {
      const connection = options.connection();
      if (!connection) throw new Error('NATS is not connected; the stream cannot be read now');
      return readStreamSince(connection, options, afterSequence, subscription, maxEvents);
    },
    async resume(connection) {
      await Promise.all([...feeds].map((feed) => startLogged(connection, feed)));
    },
    stopAll() {
      for (const feed of feeds) {
        feed.stopped = true;
        feed.messages?.stop();
      }
      feeds.clear();
    },
  };
}
