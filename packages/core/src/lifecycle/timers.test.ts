import { describe, expect, it } from 'vitest';
import { createConnectionIds, createReconnectTimer, createTimerScope, reconnectDelay } from './timers.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits (polling, so a loaded machine only makes it slower) until `done` holds. */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await sleep(2);
}

describe('createTimerScope', () => {
  it('runs timeouts and intervals and clears every pending one at once', async () => {
    const scope = createTimerScope();
    const fired: string[] = [];
    scope.timeout(() => fired.push('soon'), 5);
    // Far enough out that it is still pending when the others have fired, however loaded the machine.
    scope.timeout(() => fired.push('late'), 60_000);
    scope.interval(() => fired.push('tick'), 10);
    expect(scope.pending).toBe(3);
    await until(() => fired.includes('soon') && fired.includes('tick'));
    expect(scope.pending).toBe(2);
    scope.clearAll();
    expect(scope.pending).toBe(0);
    const seen = fired.length;
    await sleep(40);
    expect(fired.length).toBe(seen);
    expect(fired).toContain('soon');
    expect(fired).toContain('tick');
    expect(fired).not.toContain('late');
  });

  it('cancels one timer alone', async () => {
    const scope = createTimerScope();
    const fired: string[] = [];
    const cancel = scope.timeout(() => fired.push('cancelled'), 5);
    scope.timeout(() => fired.push('kept'), 5);
    cancel();
    await sleep(20);
    expect(fired).toEqual(['kept']);
    expect(scope.pending).toBe(0);
  });
});

describe('reconnectDelay', () => {
  it('adds at most 10 % and at most one second', () => {
    for (let i = 0; i < 200; i += 1) {
      const short = reconnectDelay(1000);
      expect(short).toBeGreaterThanOrEqual(1000);
      expect(short).toBeLessThanOrEqual(1100);
      const long = reconnectDelay(60_000);
      expect(long).toBeGreaterThanOrEqual(60_000);
      expect(long).toBeLessThanOrEqual(61_000);
    }
    expect(reconnectDelay(-5)).toBe(0);
  });
});

describe('createReconnectTimer', () => {
  it('keeps one attempt pending and says when it is due', async () => {
    let attempts = 0;
    const timer = createReconnectTimer(() => (attempts += 1));
    const before = Date.now();
    timer.schedule(20);
    timer.schedule(20);
    expect(timer.nextAttemptAt).toBeGreaterThanOrEqual(before + 20);
    expect(timer.nextAttemptAt).toBeLessThanOrEqual(Date.now() + 22);
    await sleep(60);
    expect(attempts).toBe(1);
    expect(timer.nextAttemptAt).toBeUndefined();
  });

  it('keeps the process alive while it waits only when asked', () => {
    const quiet = createReconnectTimer(() => undefined);
    const keeping = createReconnectTimer(() => undefined, { unref: false });
    // getActiveResourcesInfo lists the timers that keep the process alive (unref'd ones are left out).
    const refTimers = (): number =>
      process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const before = refTimers();
    quiet.schedule(1000);
    expect(refTimers()).toBe(before);
    keeping.schedule(1000);
    expect(refTimers()).toBe(before + 1);
    quiet.cancel();
    keeping.cancel();
  });

  it('cancel stops the pending attempt', async () => {
    let attempts = 0;
    const timer = createReconnectTimer(() => (attempts += 1));
    timer.schedule(10);
    timer.cancel();
    await sleep(30);
    expect(attempts).toBe(0);
  });
});

describe('createConnectionIds', () => {
  it('makes older ids stale when a new connection begins or all are invalidated', () => {
    const ids = createConnectionIds();
    const first = ids.next();
    expect(ids.isCurrent(first)).toBe(true);
    const second = ids.next();
    expect(ids.isCurrent(first)).toBe(false);
    expect(ids.isCurrent(second)).toBe(true);
    ids.invalidate();
    expect(ids.isCurrent(second)).toBe(false);
  });
});
