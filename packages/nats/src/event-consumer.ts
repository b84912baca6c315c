import { DeliverPolicy, jetstream, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { type EventBus, type OneBotEvent } from '@onebot-gateway/core';
import { LOG_SEQUENCE } from '@onebot-gateway/core/internal';
import type { MessageDrops } from './message-drops.js';

export interface EventConsumerOptions {
  stream: string;
  filter: string;
  maxPayload: number;
  bus: EventBus;
  drops: MessageDrops;
}

export interface EventConsumer {
  /**
   * Follow the stream on this connection from right after the last event
   * read (or from new events, the first time). Called again after every
   * reconnection: a restarted server has lost the ephemeral consumer, and
   * waiting for the client to notice missed heartbeats takes many seconds.
   */
  start(connection: NatsConnection): Promise<void>;
  stop(): void;
  /** Stream sequence of the last event read. */
  lastSequence(): number;
  running(): boolean;
}

const decoder = new TextDecoder();

/** The event in a message, or why it is not one. */
export function readEvent(
  data: Uint8Array,
  maxPayload: number,
): { event: OneBotEvent } | { problem: string } {
  if (data.byteLength > maxPayload) {
    return { problem: `${data.byteLength} bytes, more than gateway.backend.maxPayload (${maxPayload})` };
  }
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(data));
  } catch (error) {
    return { problem: `not JSON (${(error as Error).message})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { problem: 'not a JSON object' };
  }
  if (typeof (value as { post_type?: unknown }).post_type !== 'string') {
    return { problem: 'not an event (no string "post_type")' };
  }
  return { event: value as OneBotEvent };
}

/**
 * The edge's live feed: an ordered (ephemeral, flow-controlled) consumer of
 * the account's events, published on this gateway's bus for every
 * non-durable adapter. It holds no state on the server, so any number of
 * edges can come and go; after a lost connection it resumes right after the
 * last sequence it read, so an outage of NATS loses nothing the stream kept.
 */
export function createEventConsumer(options: EventConsumerOptions): EventConsumer {
  let messages: ConsumerMessages | undefined;
  let last = 0;

  function handle(message: JsMsg): void {
    last = message.seq;
    const read = readEvent(message.data, options.maxPayload);
    if ('problem' in read) {
      options.drops.record(message.subject, read.problem);
      return;
    }
    try {
      // SSE on an edge uses it as the event id, so Last-Event-ID resumes from the stream on any edge.
      (read.event as { [LOG_SEQUENCE]?: number })[LOG_SEQUENCE] = message.seq;
      options.bus.publish(read.event);
    } catch (error) {
      options.drops.record(message.subject, `could not be published (${(error as Error).message})`);
    }
  }

  return {
    async start(connection) {
      messages?.stop();
      messages = undefined;
      const consumer = await jetstream(connection).consumers.get(options.stream, {
        filter_subjects: options.filter,
        ...(last > 0
          ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: last + 1 }
          : { deliver_policy: DeliverPolicy.New }),
      });
      const current = await consumer.consume();
      messages = current;
      void (async () => {
        for await (const message of current) handle(message);
      })()
        .catch(() => undefined)
        .finally(() => {
          if (messages === current) messages = undefined;
        });
    },
    stop() {
      messages?.stop();
      messages = undefined;
    },
    lastSequence: () => last,
    running: () => messages !== undefined,
  };
}
