/**
 * Fan-out cost of the event bus: publishing one group message event to 1,
 * 10 and 100 subscribers that each read `delivered.buffer` (what an adapter
 * sends). The bus serialises once per format, so 100 subscribers should
 * cost about what one does.
 */
import { Bench } from 'tinybench';
import { createEventBus, type EventBus } from '../src/bus/event-bus.js';
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
      sink += delivered.buffer.length;
    });
  }
  return bus;
}

export interface FanOutResult {
  name: string;
  subscribers: number;
  microsPerPublish: number;
  /** JSON.stringify calls during one publish: the "serialise once per format" check. */
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
 * Publishes per timed iteration: one publish takes a few microseconds, too
 * close to the timer's own cost, so each sample times a batch.
 */
const BATCH = 100;

function batched(run: () => void): () => void {
  return () => {
    for (let i = 0; i < BATCH; i++) run();
  };
}

export async function benchEventBus(
  roundTime: number,
  rounds: number,
): Promise<{ results: FanOutResult[]; sink: number }> {
  const cases = [
    {
      name: 'raw JSON.stringify + Buffer.from (baseline)',
      subscribers: 0,
      run: () => {
        sink += Buffer.from(JSON.stringify(groupMessageEvent)).length;
      },
    },
    ...[1, 10, 100].map((subscribers) => {
      const bus = busWith(subscribers, () => 'array');
      return {
        name: `${subscribers} ${subscribers === 1 ? 'subscriber' : 'subscribers'}, array`,
        subscribers,
        run: () => bus.publish(groupMessageEvent),
      };
    }),
    (() => {
      const bus = busWith(100, (index) => (index % 2 === 0 ? 'array' : 'string'));
      return {
        name: '100 subscribers, half array half string',
        subscribers: 100,
        run: () => bus.publish(groupMessageEvent),
      };
    })(),
  ];
  // Interleaved short rounds, best median per case: see measure() in index.ts.
  const bestMedianMs = cases.map(() => Number.POSITIVE_INFINITY);
  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({ time: roundTime, warmupTime: roundTime / 4 });
    for (const benchCase of cases) bench.add(benchCase.name, batched(benchCase.run));
    await bench.run();
    bench.tasks.forEach((task, index) => {
      bestMedianMs[index] = Math.min(bestMedianMs[index]!, task.result?.latency.p50 ?? Number.NaN);
    });
  }
  const results = cases.map((benchCase, index) => ({
    name: benchCase.name,
    subscribers: benchCase.subscribers,
    // tinybench reports milliseconds per batch.
    microsPerPublish: (bestMedianMs[index]! * 1000) / BATCH,
    serialisations: countSerialisations(benchCase.run),
  }));
  return { results, sink };
}
