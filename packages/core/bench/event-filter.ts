/**
 * What event filters cost: (1) the two query libraries considered, sift and
 * mingo, on the typical filter (a 50-group whitelist and "@ the bot"), and
 * (2) a publish to 10 subscribers that each hold that filter (10 adapters)
 * against the same publish without filters.
 */
import { Query as MingoQuery } from 'mingo';
import sift from 'sift';
import { Bench } from 'tinybench';
import { createEventBus, type EventBus } from '../src/bus/event-bus.js';
import { compileEventFilter } from '../src/filter/event-filter.js';
import type { OneBotEvent } from '../src/types/events.js';
import { groupMessageEvent } from './event-bus.js';

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
const otherGroupEvent: OneBotEvent = { ...groupMessageEvent, group_id: 555 };

let sink = 0;

const BATCH = 100;
const batched = (run: () => void) => () => {
  for (let i = 0; i < BATCH; i++) run();
};

/**
 * `same`: ten adapters whose entries carry the same filter (equal queries
 * share one compiled filter, decided once per event); `distinct`: ten
 * different whitelists, ten evaluations per event.
 */
function busWith(subscribers: number, filters: 'none' | 'same' | 'distinct'): EventBus {
  const bus = createEventBus();
  for (let index = 0; index < subscribers; index++) {
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

export interface FilterBenchResult {
  /** ns per test of one event, by library. */
  libraries: { name: string; matchNanos: number; missNanos: number }[];
  /** µs per publish to 10 subscribers. */
  noFilterMicros: number;
  sameMatchMicros: number;
  sameMissMicros: number;
  distinctMatchMicros: number;
  distinctMissMicros: number;
  sink: number;
}

export async function benchEventFilters(roundTime: number, rounds: number): Promise<FilterBenchResult> {
  const ours = compileEventFilter(typicalFilter());
  const plainSift = sift.default(typicalFilter());
  const mingo = new MingoQuery(typicalFilter());
  const bool = (value: boolean) => (value ? 1 : 0);
  const libraryTasks = [
    { name: 'ours: direct checks, then sift', test: (event: OneBotEvent) => ours.matches(event) },
    { name: 'sift (defaults)', test: (event: OneBotEvent) => plainSift(event) },
    { name: 'mingo Query.test', test: (event: OneBotEvent) => mingo.test(event) },
  ];
  for (const library of libraryTasks) {
    if (!library.test(groupMessageEvent) || library.test(otherGroupEvent))
      throw new Error(`${library.name} does not evaluate the typical filter as expected`);
  }
  const noFilter = busWith(10, 'none');
  const same = busWith(10, 'same');
  const distinct = busWith(10, 'distinct');
  const tasks = [
    ...libraryTasks.flatMap((library) => [
      { name: `${library.name}, match`, run: batched(() => (sink ^= bool(library.test(groupMessageEvent)))) },
      { name: `${library.name}, miss`, run: batched(() => (sink ^= bool(library.test(otherGroupEvent)))) },
    ]),
    { name: '10 subscribers, no filter', run: batched(() => noFilter.publish(groupMessageEvent)) },
    { name: '10 subscribers, same filter, match', run: batched(() => same.publish(groupMessageEvent)) },
    { name: '10 subscribers, same filter, miss', run: batched(() => same.publish(otherGroupEvent)) },
    {
      name: '10 subscribers, distinct filters, match',
      run: batched(() => distinct.publish(groupMessageEvent)),
    },
    { name: '10 subscribers, distinct filters, miss', run: batched(() => distinct.publish(otherGroupEvent)) },
  ];
  const bestMedianMs = tasks.map(() => Number.POSITIVE_INFINITY);
  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({ time: roundTime, warmupTime: roundTime / 4 });
    for (const task of tasks) bench.add(task.name, task.run);
    await bench.run();
    bench.tasks.forEach((task, index) => {
      bestMedianMs[index] = Math.min(bestMedianMs[index]!, task.result?.latency.p50 ?? Number.NaN);
    });
  }
  const micros = (index: number) => (bestMedianMs[index]! * 1000) / BATCH;
  const libraries = libraryTasks.map((library, index) => ({
    name: library.name,
    matchNanos: micros(2 * index) * 1000,
    missNanos: micros(2 * index + 1) * 1000,
  }));
  const busBase = 2 * libraryTasks.length;
  return {
    libraries,
    noFilterMicros: micros(busBase),
    sameMatchMicros: micros(busBase + 1),
    sameMissMicros: micros(busBase + 2),
    distinctMatchMicros: micros(busBase + 3),
    distinctMissMicros: micros(busBase + 4),
    sink,
  };
}
