/**
 * One publish case of the filter bench, in its own process (see
 * event-filter.ts): `tsx bench/event-filter-publish.ts <case> <roundMs>`
 * answers the median µs per publish to 10 subscribers over IPC.
 *
 * It measures the built package (dist), as ws-bench does: under tsx the
 * sources get esbuild's `__name` helper, which redefines a function's name
 * each time a closure is created, and the bus creates one closure per
 * publish only when a filter reads `message`, so measuring src would charge
 * filters for a cost the shipped code does not have.
 */
import { Bench } from 'tinybench';
import { createEventBus, type EventBus } from '../dist/bus/event-bus.js';
import type { OneBotEvent } from '../src/types/events.js';
import { groupMessageEvent } from './event-bus.js';

export type PublishCase = 'none' | 'same-match' | 'same-miss' | 'distinct-match' | 'distinct-miss';

/**
 * 50 group ids with the bench event's group last (a scan would go to the
 * end); `variant` changes the other 49, so each adapter's filter differs.
 */
export function typicalFilter(variant = 0): Record<string, unknown> {
  const groups = Array.from({ length: 49 }, (_, index) => 100_000 + variant * 100 + index);
  groups.push(groupMessageEvent.group_id as number);
  return {
    group_id: { $in: groups },
    message: { $elemMatch: { type: 'at', 'data.qq': String(groupMessageEvent.self_id) } },
  };
}

/** The same event from a group outside the whitelist: filtered out. */
export const otherGroupEvent: OneBotEvent = { ...groupMessageEvent, group_id: 555 };

let sink = 0;
const BATCH = 100;

/**
 * `same`: ten adapters whose entries carry the same filter (equal queries
 * share one compiled filter, decided once per event); `distinct`: ten
 * different whitelists, ten evaluations per event.
 */
function busWith(filters: 'none' | 'same' | 'distinct'): EventBus {
  const bus = createEventBus();
  for (let index = 0; index < 10; index++) {
    // A query object per subscriber, as each adapter's config entry has its own.
    const query = typicalFilter(filters === 'distinct' ? index + 1 : 0);
    bus.subscribe(
      { format: 'array', reportSelfMessage: false, ...(filters === 'none' ? {} : { filter: () => query }) },
      (delivered) => {
        sink ^= delivered.buffer.length;
      },
    );
  }
  return bus;
}

async function main(): Promise<void> {
  const [publishCase, roundMs] = process.argv.slice(2) as [PublishCase, string];
  const [filters, outcome] = publishCase.split('-') as ['none' | 'same' | 'distinct', string | undefined];
  const bus = busWith(filters);
  const event = outcome === 'miss' ? otherGroupEvent : groupMessageEvent;
  const time = Number(roundMs);
  const bench = new Bench({ time, warmupTime: time / 4 });
  bench.add(publishCase, () => {
    for (let i = 0; i < BATCH; i++) bus.publish(event);
  });
  await bench.run();
  // tinybench reports milliseconds per batch.
  const micros = ((bench.tasks[0]!.result?.latency.p50 ?? Number.NaN) * 1000) / BATCH;
  process.send!({ micros, sink });
}

if (process.argv[1] === new URL(import.meta.url).pathname) await main();
