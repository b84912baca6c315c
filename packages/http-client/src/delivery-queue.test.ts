import { describe, expect, it } from 'vitest';
import { createDeliveryQueue } from './delivery-queue.js';

function deferred(): { promise: Promise<void>; resolve(): void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('createDeliveryQueue', () => {
  it('runs at most `concurrency` items, keeps at most `capacity` waiting, and keeps FIFO order', async () => {
    const gates = new Map<number, { promise: Promise<void>; resolve(): void }>();
    const started: number[] = [];
    const queue = createDeliveryQueue<number>({
      capacity: 3,
      concurrency: 2,
      worker: (n) => {
        started.push(n);
        const gate = deferred();
        gates.set(n, gate);
        return gate.promise;
      },
      onWorkerError: () => undefined,
    });
    const accepted = [1, 2, 3, 4, 5, 6, 7].map((n) => queue.push(n));
    expect(accepted).toEqual([true, true, true, true, true, false, false]);
    expect([queue.active, queue.waiting]).toEqual([2, 3]);
    gates.get(1)?.resolve();
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([1, 2, 3]);
    expect(queue.takeWaiting()).toEqual([4, 5]);
    gates.get(2)?.resolve();
    gates.get(3)?.resolve();
    expect(await queue.whenIdle(1000)).toBe(true);
  });

  it('whenIdle gives up after its timeout; a rejecting worker is reported and does not stall the queue', async () => {
    const errors: unknown[] = [];
    const never = createDeliveryQueue<number>({
      capacity: 1,
      concurrency: 1,
      worker: () => new Promise(() => undefined),
      onWorkerError: () => undefined,
    });
    never.push(1);
    expect(await never.whenIdle(20)).toBe(false);

    const done: number[] = [];
    const flaky = createDeliveryQueue<number>({
      capacity: 10,
      concurrency: 1,
      worker: async (n) => {
        if (n === 1) throw new Error('bug');
        done.push(n);
      },
      onWorkerError: (e) => errors.push(e),
    });
    flaky.push(1);
    flaky.push(2);
    expect(await flaky.whenIdle(1000)).toBe(true);
    expect(done).toEqual([2]);
    expect(errors).toHaveLength(1);
  });

  it('stays O(1) and correct over many items (compaction of the head)', async () => {
    let sum = 0;
    const queue = createDeliveryQueue<number>({
      capacity: 100_000,
      concurrency: 4,
      worker: async (n) => void (sum += n),
      onWorkerError: () => undefined,
    });
    for (let i = 1; i <= 50_000; i += 1) queue.push(i);
    expect(await queue.whenIdle(5000)).toBe(true);
    expect(sum).toBe((50_000 * 50_001) / 2);
  });
});
