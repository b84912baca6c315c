import { describe, expect, it } from 'vitest';
import { settleWithin } from './settle-within.js';

const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

describe('settleWithin', () => {
  it("resolves with the task's value and leaves no timer behind", async () => {
    const before = timers();
    await expect(settleWithin(Promise.resolve(42), 10_000)).resolves.toEqual({ settled: true, value: 42 });
    expect(timers()).toBe(before);
  });

  it('resolves unsettled at the deadline while the task goes on', async () => {
    let finish!: (value: string) => void;
    const task = new Promise<string>((resolve) => (finish = resolve));
    const started = Date.now();
    await expect(settleWithin(task, 30)).resolves.toEqual({ settled: false });
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    finish('late');
    await expect(task).resolves.toBe('late');
  });

  it('rejects when the task rejects first, and clears its timer', async () => {
    const before = timers();
    await expect(settleWithin(Promise.reject(new Error('boom')), 10_000)).rejects.toThrow('boom');
    expect(timers()).toBe(before);
  });
});
