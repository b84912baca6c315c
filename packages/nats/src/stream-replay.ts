import { DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { EventSubscription, LoggedEvent } from '@onebot-gateway/core';
import { readEvent } from './event-consumer.js';
import { viewFor } from './subscriber-view.js';

/** How long a replay waits for the stream when the account has nothing after the position. */
const FETCH_EXPIRES_MS = 1_000;

export interface StreamReplayOptions {
  stream: string;
  filter: string;
  maxPayload: number;
}

/**
 * Read an account's events after a stream sequence with a short-lived
 * ordered consumer: what an SSE client's `Last-Event-ID` asks for, answered
 * from the stream itself, so it works on any edge and across restarts
 * (bounded by the stream's retention). Bad messages are skipped.
 */
export async function readStreamSince(
  connection: NatsConnection,
  options: StreamReplayOptions,
  afterSequence: number,
  subscription: EventSubscription,
  maxEvents: number,
): Promise<{ events: LoggedEvent[]; more: boolean }> {
  const manager = await jetstreamManager(connection);
  const { state } = await manager.streams.info(options.stream);
  if (afterSequence >= state.last_seq || maxEvents <= 0) return { events: [], more: false };
  const consumer = await jetstream(connection).consumers.get(options.stream, {
    filter_subjects: options.filter,
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: Math.max(afterSequence + 1, state.first_seq),
  });
  const events: LoggedEvent[] = [];
  let more = false;
  const messages = await consumer.fetch({ max_messages: maxEvents, expires: FETCH_EXPIRES_MS });
  for await (const message of messages) {
    const read = readEvent(message.data, options.maxPayload);
    const view = 'event' in read ? viewFor(read.event, subscription) : undefined;
    if (view) events.push({ sequence: message.seq, json: JSON.stringify(view) });
    if (message.info.pending === 0) break;
    if (events.length >= maxEvents) {
      more = true;
      break;
    }
  }
  messages.stop();
  return { events, more };
}
