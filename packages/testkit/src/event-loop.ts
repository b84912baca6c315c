import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';

/** How long the event loop was blocked while one operation ran. */
export interface LoopDelaySample {
  /** Longest single block, in ms. */
  maxMs: number;
  /** 99th percentile of the sampled delays, in ms. */
  p99Ms: number;
}

/** The monitor's resolution: it samples the loop once per this many ms. */
const RESOLUTION_MS = 1;
const NS_PER_MS = 1e6;

/**
 * Run `operation` (sync or async) with `perf_hooks.monitorEventLoopDelay`
 * switched on, and report the longest block it caused. Client and server
 * must share this process (a real socket on port 0 to an adapter started by
 * the test), so the server's work on the request shows up as loop delay.
 */
export async function measureLoopDelay(operation: () => unknown): Promise<LoopDelaySample> {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  try {
    // The monitor measures from one tick of its own timer to the next, and
    // its first tick only starts the clock: a block before it goes unseen.
    // A timer due after the monitor's runs after it, so these waits are what
    // start the clock and flush the last sample (there is no event to await).
    await delay(RESOLUTION_MS * 2);
    await operation();
    await delay(RESOLUTION_MS * 2);
  } finally {
    histogram.disable();
  }
  return {
    maxMs: histogram.max / NS_PER_MS,
    p99Ms: histogram.percentile(99) / NS_PER_MS,
  };
}

export interface LoopDelayComparisonOptions {
  /** A request of ordinary content, the same size as the hostile one. */
  plain: () => unknown;
  /** The hostile request. Both must leave nothing behind (each runs `rounds` times). */
  hostile: () => unknown;
  /** Interleaved runs of each; the quietest run of each is kept. Default 3. */
  rounds?: number;
  /** The hostile request may block at most this many times the plain one. Default 4. */
  maxRatio?: number;
  /**
   * Blocks shorter than this always pass, in ms. Default 50: a plain request
   * can cost next to nothing, so a bare ratio would fail on a few ms of
   * scheduling noise; 50 ms is still far below the seconds a quadratic or
   * per-item-copy path costs, which is what these tests exist to catch.
   */
  floorMs?: number;
}

export interface LoopDelayComparison {
  plain: LoopDelaySample;
  hostile: LoopDelaySample;
  /** max(plain.maxMs x maxRatio, floorMs). */
  limitMs: number;
  /** hostile.maxMs <= limitMs. */
  withinLimit: boolean;
  /** One line for a failure message or a log. */
  summary: string;
}

function quietest(samples: LoopDelaySample[]): LoopDelaySample {
  return samples.reduce((best, sample) => (sample.maxMs < best.maxMs ? sample : best));
}

/**
 * Measure the loop delay of a hostile request against a plain one of the
 * same size. Built to hold on a loaded 2-core CI machine: the two are
 * interleaved (load drifts affect both), the quietest of several runs is
 * kept (another process or a GC can only add delay, never remove it), and
 * the result is a ratio with a floor rather than an absolute time.
 */
export async function compareLoopDelay(options: LoopDelayComparisonOptions): Promise<LoopDelayComparison> {
  const rounds = options.rounds ?? 3;
  const maxRatio = options.maxRatio ?? 4;
  const floorMs = options.floorMs ?? 50;
  const plainRuns: LoopDelaySample[] = [];
  const hostileRuns: LoopDelaySample[] = [];
  for (let round = 0; round < rounds; round += 1) {
    plainRuns.push(await measureLoopDelay(options.plain));
    hostileRuns.push(await measureLoopDelay(options.hostile));
  }
  const plain = quietest(plainRuns);
  const hostile = quietest(hostileRuns);
  const limitMs = Math.max(plain.maxMs * maxRatio, floorMs);
  const withinLimit = hostile.maxMs <= limitMs;
  const summary =
    `hostile request blocked the event loop ${hostile.maxMs.toFixed(1)} ms, plain one ` +
    `${plain.maxMs.toFixed(1)} ms; limit ${limitMs.toFixed(1)} ms ` +
    `(${maxRatio}x plain, at least ${floorMs} ms)`;
  return { plain, hostile, limitMs, withinLimit, summary };
}

/**
 * `compareLoopDelay`, throwing an Error with the figures when the hostile
 * request blocked the loop longer than allowed. Use in a test:
 * `await expectLoopDelayBounded({ plain: () => post(plainBody), hostile: () => post(hostileBody) })`.
 */
export async function expectLoopDelayBounded(
  options: LoopDelayComparisonOptions,
): Promise<LoopDelayComparison> {
  const comparison = await compareLoopDelay(options);
  if (!comparison.withinLimit) throw new Error(comparison.summary);
  return comparison;
}
