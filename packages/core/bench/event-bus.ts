/**
 * Fan-out cost of the event bus: publishing one group message event to 1,
 * 10 and 100 subscribers that each read `delivered.buffer` (what an adapter
 * sends), split into what encoding costs and what handing the bytes to
 * each subscriber costs (see `preEncoded`).
 */
import { Bench } from 'tinybench';
import { createEventBus, formatEvent, type EventBus } from '../src/bus/event-bus.js';
import type { OneBotEvent } from '../src/types/events.js';

/** A realistic group message event, about 400 bytes of JSON. */
export const groupMessageEvent: OneBotEvent = {
  time: 1_732_000_000,
  self_id: 123_456_789,
  post_type: 'message',
  message_type: 'group',
  sub_type: 'normal',
  message_id: 1_987_654_321,
  group_id: 987_654_321,
  user_id: 10_001,
  anonymous: null,
  message: [
    { type: 'at', data: { qq: '123456789' } },
    { type: 'text', data: { text: ' 今天天气怎么样?' } },
  ],
  raw_message: '[CQ:at,qq=123456789] 今天天气怎么样?',
  font: 0,
  sender: { user_id: 10_001, nickname: 'Alice', role: 'member' },
  message_format: 'array',
};

export const eventBytes = Buffer.byteLength(JSON.stringify(groupMessageEvent));

let sink = 0;

function busWith(subscribers: number, format: (index: number) => 'array' | 'string'): EventBus {
  const bus = createEventBus();
  for (let index = 0; index < subscribers; index++) {
    bus.subscribe({ format: format(index), reportSelfMessage: false }, (delivered) => {
      // xor keeps `sink` a small integer: `+=` would allocate a heap number per call once past 2^30.
      sink ^= delivered.buffer.length;
    });
  }
  return bus;
}

export interface FanOutResult {
  name: string;
  subscribers: number;
  /** (a) The whole publish: view building, serialisation, dispatch to every subscriber. */
  microsPerPublish: number;
  /** The same bus, subscribers and loop, with the event's bytes already encoded. */
  preEncodedMicrosPerPublish: number;
  /** (b) JSON.stringify calls during one publish: the "serialise once per format" check. */
  serialisations: number;
}

/** Count JSON.stringify calls made while `run` runs (one publish). */
function countSerialisations(run: () => void): number {
  const original = JSON.stringify;
  let calls = 0;
  JSON.stringify = ((...args: Parameters<typeof JSON.stringify>) => {
    calls++;
    return original(...args);
  }) as typeof JSON.stringify;
  try {
    run();
  } finally {
    JSON.stringify = original;
  }
  return calls;
}

/**
 * Runs `run` as if the event's bytes were already encoded: while it runs,
 * `JSON.stringify` of a view of the bench event returns that view's JSON
 * computed beforehand, and `Buffer.from` of such a JSON returns its buffer
 * computed beforehand. Everything else (the bus, its per-event views, the
 * format conversion, the subscriber loop, the listeners) runs as usual, so
 * `publish - preEncoded` is what encoding costs on that publish.
 */
function preEncoded(run: () => void): () => void {
  const originalStringify = JSON.stringify;
  const originalFrom = Buffer.from;
  const bytesOf = new Map<string, Buffer>();
  const jsonOf = new Map<string, string>();
  for (const format of ['array', 'string'] as const) {
    const json = originalStringify(formatEvent(groupMessageEvent, format));
    jsonOf.set(format, json);
    bytesOf.set(json, originalFrom(json));
  }
  const isBenchView = (value: unknown): value is OneBotEvent =>
    typeof value === 'object' &&
    value !== null &&
    (value as OneBotEvent).message_id === groupMessageEvent.message_id;
  const stringify = ((value: unknown, ...rest: unknown[]) =>
    isBenchView(value)
      ? jsonOf.get(value.message_format === 'string' ? 'string' : 'array')
      : (originalStringify as (...args: unknown[]) => string)(value, ...rest)) as typeof JSON.stringify;
  const from = ((value: unknown, ...rest: unknown[]) =>
    (typeof value === 'string' && bytesOf.get(value)) ||
    (originalFrom as (...args: unknown[]) => Buffer)(value, ...rest)) as typeof Buffer.from;
  return () => {
    JSON.stringify = stringify;
    Buffer.from = from;
    try {
      run();
    } finally {
      JSON.stringify = originalStringify;
      Buffer.from = originalFrom;
    }
  };
}

/**
 * Publishes per timed iteration: one publish takes a few microseconds, too
 * close to the timer's own cost, so each sample times a batch.
 */
const BATCH = 100;

function batched(run: () => void): () => void {
  return () => {
    for (let i = 0; i < BATCH; i++) run();
  };
}

interface BusCase {
  name: string;
  subscribers: number;
  publish: () => void;
}

export async function benchEventBus(
  roundTime: number,
  rounds: number,
): Promise<{ baselineMicros: number; results: FanOutResult[]; sink: number }> {
  const cases: BusCase[] = [
    ...[1, 10, 100].map((subscribers) => {
      const bus = busWith(subscribers, () => 'array');
      return {
        name: `${subscribers} ${subscribers === 1 ? 'subscriber' : 'subscribers'}, array`,
        subscribers,
        publish: () => bus.publish(groupMessageEvent),
      };
    }),
    (() => {
      const bus = busWith(100, (index) => (index % 2 === 0 ? 'array' : 'string'));
      return {
        name: '100 subscribers, half array half string',
        subscribers: 100,
        publish: () => bus.publish(groupMessageEvent),
      };
    })(),
  ];
  const tasks = [
    {
      name: 'raw JSON.stringify + Buffer.from (baseline)',
      run: batched(() => {
        sink ^= Buffer.from(JSON.stringify(groupMessageEvent)).length;
      }),
    },
    ...cases.flatMap((benchCase) => [
      { name: benchCase.name, run: batched(benchCase.publish) },
      { name: `${benchCase.name}, pre-encoded`, run: preEncoded(batched(benchCase.publish)) },
    ]),
  ];
  // Interleaved short rounds, best median per task: see measure() in index.ts.
  const bestMedianMs = tasks.map(() => Number.POSITIVE_INFINITY);
  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({ time: roundTime, warmupTime: roundTime / 4 });
    for (const task of tasks) bench.add(task.name, task.run);
    await bench.run();
    bench.tasks.forEach((task, index) => {
      bestMedianMs[index] = Math.min(bestMedianMs[index]!, task.result?.latency.p50 ?? Number.NaN);
    });
  }
  // tinybench reports milliseconds per batch.
  const micros = (index: number) => (bestMedianMs[index]! * 1000) / BATCH;
  const results = cases.map((benchCase, index) => ({
    name: benchCase.name,
    subscribers: benchCase.subscribers,
    microsPerPublish: micros(1 + 2 * index),
    preEncodedMicrosPerPublish: micros(2 + 2 * index),
    serialisations: countSerialisations(benchCase.publish),
  }));
  return { baselineMicros: micros(0), results, sink };
}
