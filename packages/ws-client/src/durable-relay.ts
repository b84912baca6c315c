import {
  OneBotError,
  type AdapterContext,
  type DeliveredEvent,
  type DurableDelivery,
  type EventListener,
} from '@onebot-gateway/core';
import { durableNameFor } from '@onebot-gateway/core/internal';
import type { WsClientOptions } from './config.js';

/**
 * `durable: true` (distributed mode, on an edge): events come from a
 * JetStream durable consumer instead of the bus, and each is acknowledged
 * only once the server confirmed the write with a pong (the adapter's
 * existing write confirmation). An event written but not confirmed when the
 * process dies is delivered again by the next one, marked `"redelivered": true`.
 *
 * The relay stands in for the bus: the adapter's buffer and its session
 * subscribe here exactly as they would to `context.subscribe`.
 */
export interface DurableRelay {
  subscribe(listener: EventListener): () => void;
  /** The server confirmed this event's bytes: acknowledge it. Unknown bytes are ignored. */
  confirmed(bytes: Buffer): void;
  stop(): Promise<void>;
}

class RelayedEvent implements DeliveredEvent {
  #json: string | undefined;
  readonly isSelfMessage: boolean;
  constructor(readonly delivery: DurableDelivery) {
    this.isSelfMessage = delivery.event.post_type === 'message_sent';
  }
  get event() {
    return this.delivery.event;
  }
  get buffer() {
    return this.delivery.buffer;
  }
  get json() {
    return (this.#json ??= this.delivery.buffer.toString('utf8'));
  }
}

export async function startDurableRelay(
  config: WsClientOptions,
  context: AdapterContext,
): Promise<DurableRelay> {
  const source = context.durableEvents;
  if (!source) {
    throw new OneBotError(
      'ADAPTER_START_FAILED',
      `${config.name}: "durable": true needs an edge gateway (gateway.backend.type "nats"), whose events are kept in JetStream; this backend keeps no log to resume from. Set "durable": false or use the nats backend`,
      { details: { adapter: config.name } },
    );
  }
  const listeners = new Set<EventListener>();
  const acks = new WeakMap<Buffer, () => void>();
  // Deliveries before anyone listens (start-up) wait here; bounded by the consumer's maxInFlight.
  const early: RelayedEvent[] = [];

  function fanOut(relayed: RelayedEvent): void {
    for (const listener of [...listeners]) listener(relayed);
  }

  const stop = await source.subscribe(
    {
      name: durableNameFor(config.name, config.durableName),
      format: config.messagePostFormat,
      reportSelfMessage: config.reportSelfMessage,
      filter: () => config.filter,
      maxInFlight: Math.max(64, Math.min(config.bufferSize, 1000)),
    },
    (delivery) => {
      acks.set(delivery.buffer, () => delivery.ack());
      const relayed = new RelayedEvent(delivery);
      if (listeners.size === 0) early.push(relayed);
      else fanOut(relayed);
    },
  );

  return {
    subscribe(listener) {
      listeners.add(listener);
      for (const relayed of early.splice(0)) fanOut(relayed);
      return () => listeners.delete(listener);
    },
    confirmed(bytes) {
      const ack = acks.get(bytes);
      if (!ack) return;
      acks.delete(bytes);
      ack();
    },
    stop: () => stop(),
  };
}
