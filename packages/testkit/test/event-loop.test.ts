import { describe, expect, it } from 'vitest';
import { compareLoopDelay, expectLoopDelayBounded, measureLoopDelay } from '../src/event-loop.js';

/** Keep the thread busy, as a quadratic parser would. */
function blockFor(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}

describe('event-loop delay helpers', () => {
  it('measures a synchronous block, including one at the very end of the operation', async () => {
    const sample = await measureLoopDelay(() => blockFor(120));
    expect(sample.maxMs).toBeGreaterThanOrEqual(100);
  });

  it('measures a block inside an async operation', async () => {
    const sample = await measureLoopDelay(async () => {
      await new Promise((resolve) => setImmediate(resolve));
      blockFor(120);
      await new Promise((resolve) => setImmediate(resolve));
    });
    expect(sample.maxMs).toBeGreaterThanOrEqual(100);
  });

  it('passes a hostile operation that costs about what the plain one does', async () => {
    const comparison = await expectLoopDelayBounded({
      plain: () => blockFor(20),
      hostile: () => blockFor(25),
    });
    expect(comparison.withinLimit).toBe(true);
  });

  it('fails one that blocks far longer than the plain one, saying by how much', async () => {
    const comparison = await compareLoopDelay({
      plain: () => blockFor(5),
      hostile: () => blockFor(300),
      rounds: 1,
    });
    expect(comparison.withinLimit).toBe(false);
    await expect(
      expectLoopDelayBounded({ plain: () => blockFor(5), hostile: () => blockFor(300), rounds: 1 }),
    ).rejects.toThrow(/hostile request blocked the event loop \d+\.\d ms, plain one/);
  });
});
