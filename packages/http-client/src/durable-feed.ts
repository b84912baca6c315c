import {
  OneBotError,
  type AdapterContext,
  type DurableDelivery,
  type DurableEventSource,
} from '@onebot-gateway/core';
import { durableNameFor } from '@onebot-gateway/core/internal';
import type { HttpClientOptions } from './config.js';

/** The backend's durable consumers; throws a clear start error when it has none (not a NATS edge). */
export function requireDurableEvents(config: HttpClientOptions, context: AdapterContext): DurableEventSource {
  if (context.durableEvents) return context.durableEvents;
  throw new OneBotError(
    'ADAPTER_START_FAILED',
    `${config.name}: "durable": true needs an edge gateway (gateway.backend.type "nats"), whose events are kept in JetStream; this backend keeps no log to resume from. Set "durable": false or use the nats backend`,
    { details: { adapter: config.name } },
  );
}

/**
 * `durable: true` (distributed mode, on an edge): events come from a
 * JetStream durable consumer instead of the bus, and each is acknowledged
 * only once its POST got a 2xx, or its retries were spent and the drop was
 * logged. An event still queued or in flight when the process dies is
 * delivered again by the next one, marked `"redelivered": true`.
 */
export async function subscribeDurably(
  config: HttpClientOptions,
  context: AdapterContext,
  onDelivery: (delivery: DurableDelivery) => void,
): Promise<() => Promise<void>> {
  return requireDurableEvents(config, context).subscribe(
    {
      name: durableNameFor(config.name, config.durableName),
      format: config.messagePostFormat,
      reportSelfMessage: config.reportSelfMessage,
      filter: () => config.filter,
      // Few more than the posts in flight: what a killed process held unacknowledged comes again marked
      // "redelivered", so holding little keeps that mark meaningful; never more than the queue takes.
      maxInFlight: Math.min(config.queueSize, Math.max(64, config.concurrency * 8)),
    },
    onDelivery,
  );
}
