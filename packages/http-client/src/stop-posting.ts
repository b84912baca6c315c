import type { AdapterContext } from '@onebot-gateway/core';
import {
  createLifecycleEvent,
  passesFilterQuery,
  settleWithin,
  type createAdapterCounters,
  type DropLog,
} from '@onebot-gateway/core/internal';
import type { HttpClientOptions } from './config.js';
import type { DeliveryQueue } from './delivery-queue.js';
import { encodeOwnEvent, type DropReason, type PostJob } from './deliver-event.js';
import { createEventPoster, type EventPoster } from './event-poster.js';

export interface StopDeps {
  config: HttpClientOptions;
  context: AdapterContext;
  counters: ReturnType<typeof createAdapterCounters>;
  drops: DropLog<DropReason>;
  queue: DeliveryQueue<PostJob>;
  poster: EventPoster;
  headersFor(body: Buffer): Record<string, string>;
  /** Ends every retry wait at once. */
  abortRetries(): void;
}

/** Resolves with `task`'s result, or `undefined` once `ms` have passed (the task keeps running on its own). */
async function within<T>(task: Promise<T>, ms: number): Promise<T | undefined> {
  const outcome = await settleWithin(task, ms);
  return outcome.settled ? outcome.value : undefined;
}

/**
 * The whole stop (drain, abort, disable) fits in `stopTimeout`, so a host
 * with its own per-adapter limit (the gateway's 3 s) never cuts it short
 * and loses the disable post or the drop summary. Half the budget drains
 * the queue; what is left is split between aborting the rest and disable.
 */
export async function finishDeliveries(deps: StopDeps): Promise<void> {
  const { config, queue, poster, drops } = deps;
  const deadline = Date.now() + config.stopTimeout;
  const left = (): number => Math.max(0, deadline - Date.now());
  const drained = await queue.whenIdle(Math.floor(config.stopTimeout / 2));
  if (!drained) {
    deps.abortRetries();
    for (const job of queue.takeWaiting())
      drops.record('stopped', 'the adapter stopped before this event could be posted', job.event);
    // Aborts what still hangs; those events count as `stopped`.
    await within(poster.destroy(), left() / 2);
    await queue.whenIdle(Math.floor(left() / 2));
  } else {
    await within(poster.close(), left() / 2);
  }
  await postDisable(deps, left());
}

/**
 * POST lifecycle disable on a connection of its own (the pool may be
 * destroyed by now), within `budgetMs`. undici's own timeouts are coarse
 * above 1 s, so a timer destroys the connection at the deadline; either way
 * an unanswered disable counts as a `timeout` drop.
 */
async function postDisable(deps: StopDeps, budgetMs: number): Promise<void> {
  const { config, counters, drops } = deps;
  const job = encodeOwnEvent(createLifecycleEvent(deps.context.selfId(), 'disable'));
  if (!passesFilterQuery(config.filter, job.event)) return;
  const wait = Math.max(1, Math.min(config.timeout, budgetMs));
  const disablePoster = createEventPoster(new URL(config.url), { connections: 1, connectTimeoutMs: wait });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void disablePoster.destroy().catch(() => undefined);
  }, wait);
  try {
    const result = await disablePoster.post(job.body, deps.headersFor(job.body), wait);
    if (result.ok) counters.eventsSent += 1;
    else if (timedOut)
      drops.record(
        'timeout',
        `lifecycle disable not answered within ${wait} ms of the stop timeout`,
        job.event,
      );
    else drops.record(result.reason, `lifecycle disable not delivered: ${result.detail}`, job.event);
  } finally {
    clearTimeout(timer);
    await within(
      disablePoster.destroy().catch(() => undefined),
      100,
    );
  }
}

/** The line a user reads after a stop: how many events were dropped in all, and why. */
export function logStopSummary(context: AdapterContext, drops: DropLog<DropReason>, url: string): void {
  drops.flush();
  const byReason = drops.byReason();
  const summary = Object.entries(byReason)
    .map(([reason, count]) => `${String(count)} ${reason}`)
    .join(', ');
  context.logger.info(
    { url, dropped: drops.total, droppedByReason: byReason },
    drops.total === 0
      ? 'stopped posting events; none dropped'
      : `stopped posting events; ${drops.total} dropped in all (${summary})`,
  );
}
