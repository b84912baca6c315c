import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSendLimiter, type SendLimiter, type SendLimiterSettings } from './send-limiter.js';

const MiB = 1024 * 1024;

function settings(overrides: Partial<SendLimiterSettings> = {}): SendLimiterSettings {
  return { frequency: 1, bucket: 1, maxQueue: 1000, maxQueueBytes: 16 * MiB, ...overrides };
}

/** Admit one call per name; `left` gets each name when that call may go. */
function admitMany(limiter: SendLimiter, names: string[], left: string[], bytes = 10): void {
  for (const name of names) {
    const admission = limiter.admit(() => bytes);
    if (!admission.ok) throw new Error(`${name} refused: ${admission.refusal.reason}`);
    if (admission.ready === undefined) left.push(name);
    else void admission.ready.then(() => left.push(name));
  }
}

/** Time passing without the timers getting a chance to run (a blocked event loop). */
let blockedMs = 0;
const clock = { now: () => performance.now() + blockedMs };

const names = (count: number, prefix = 'c') => Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);

beforeEach(() => {
  vi.useFakeTimers();
  blockedMs = 0;
});

afterEach(() => {
  vi.useRealTimers();
});

describe('token bucket', () => {
  it('lets a burst of `bucket` calls go at once, then one per 1/frequency s', async () => {
    const limiter = createSendLimiter(settings({ frequency: 2, bucket: 3 }));
    const left: string[] = [];
    admitMany(limiter, names(6), left);
    expect(left).toEqual(['c1', 'c2', 'c3']);
    await vi.advanceTimersByTimeAsync(499);
    expect(left).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(left).toEqual(['c1', 'c2', 'c3', 'c4']);
    await vi.advanceTimersByTimeAsync(500);
    expect(left).toHaveLength(5);
    await vi.advanceTimersByTimeAsync(500);
    expect(left).toEqual(names(6));
    expect(vi.getTimerCount()).toBe(0);
  });

  it('reads frequency as tokens per second, fractions included (go-cqhttp)', async () => {
    const limiter = createSendLimiter(settings({ frequency: 0.5 }));
    const left: string[] = [];
    admitMany(limiter, names(2), left);
    await vi.advanceTimersByTimeAsync(1999);
    expect(left).toEqual(['c1']);
    await vi.advanceTimersByTimeAsync(1);
    expect(left).toEqual(['c1', 'c2']);
  });

  it('refills while idle, but never beyond the bucket', async () => {
    const limiter = createSendLimiter(settings({ frequency: 10, bucket: 4 }));
    const left: string[] = [];
    admitMany(limiter, names(4, 'a'), left);
    expect(left).toHaveLength(4);
    // 250 ms refill 2.5 tokens: two go at once, the third waits for the half token still missing.
    await vi.advanceTimersByTimeAsync(250);
    admitMany(limiter, names(3, 'b'), left);
    expect(left.slice(4)).toEqual(['b1', 'b2']);
    await vi.advanceTimersByTimeAsync(50);
    expect(left.slice(4)).toEqual(['b1', 'b2', 'b3']);
    // An hour of quiet is worth `bucket` calls, no more.
    await vi.advanceTimersByTimeAsync(3_600_000);
    const late: string[] = [];
    admitMany(limiter, names(6, 'c'), late);
    expect(late).toEqual(['c1', 'c2', 'c3', 'c4']);
  });

  it('keeps arrival order: a call never overtakes one that waits, even when a token just came back', async () => {
    const limiter = createSendLimiter(settings({ frequency: 10, bucket: 1 }), clock);
    const left: string[] = [];
    admitMany(limiter, ['first', 'second'], left);
    // The timer has not run yet but the token is there: "third" must still queue behind "second".
    blockedMs += 100;
    admitMany(limiter, ['third'], left);
    await vi.advanceTimersByTimeAsync(0);
    expect(left).toEqual(['first']);
    await vi.advanceTimersByTimeAsync(200);
    expect(left).toEqual(['first', 'second', 'third']);
  });

  it('releases 50 waiting calls in exactly their arrival order', async () => {
    const limiter = createSendLimiter(settings({ frequency: 100, bucket: 5 }));
    const left: string[] = [];
    admitMany(limiter, names(50), left);
    await vi.advanceTimersByTimeAsync(1000);
    expect(left).toEqual(names(50));
  });

  it('catches up after a late timer, within the bucket', async () => {
    const limiter = createSendLimiter(settings({ frequency: 10, bucket: 2 }), clock);
    const left: string[] = [];
    admitMany(limiter, names(6), left);
    expect(left).toHaveLength(2);
    // The event loop was blocked for 250 ms: the timer due at 100 ms finds 3.5 tokens' worth of time,
    // but the bucket holds two: two leave together, then the pace is one per 100 ms again.
    blockedMs += 250;
    await vi.advanceTimersByTimeAsync(100);
    expect(left).toEqual(names(4));
    await vi.advanceTimersByTimeAsync(99);
    expect(left).toEqual(names(4));
    await vi.advanceTimersByTimeAsync(1);
    expect(left).toEqual(names(5));
  });
});

describe('bounds', () => {
  it('refuses past maxQueue at once, saying how long until a place frees and how long a call would wait', async () => {
    const limiter = createSendLimiter(settings({ frequency: 2, bucket: 1, maxQueue: 3 }));
    const left: string[] = [];
    admitMany(limiter, names(4), left);
    await vi.advanceTimersByTimeAsync(200);
    const refused = limiter.admit(() => 10);
    if (refused.ok) throw new Error('expected a refusal');
    expect(refused.refusal).toMatchObject({
      reason: 'count',
      queued: 3,
      queuedBytes: 30,
      bytes: 0,
      settings: settings({ frequency: 2, bucket: 1, maxQueue: 3 }),
    });
    // 0.4 of a token is there: c2 leaves in 300 ms; a fourth waiting call would need 3.6 more tokens.
    expect(refused.refusal.nextInMs).toBeCloseTo(300);
    expect(refused.refusal.waitMs).toBeCloseTo(1800);
    expect(limiter.status()).toMatchObject({ queued: 3, calls: 4, waited: 3, refused: 1 });
    expect(limiter.status().waitMs).toBeCloseTo(1800);
    await vi.advanceTimersByTimeAsync(300);
    expect(limiter.admit(() => 10).ok).toBe(true);
  });

  it('refuses a call that would pass maxQueueBytes, and only reads the size of calls that wait', async () => {
    const limiter = createSendLimiter(settings({ maxQueueBytes: 100 }));
    const sizes: number[] = [];
    const admit = (bytes: number) =>
      limiter.admit(() => {
        sizes.push(bytes);
        return bytes;
      });
    expect(admit(1000)).toEqual({ ok: true, ready: undefined });
    expect(admit(60).ok).toBe(true);
    const refused = admit(41);
    expect(refused).toMatchObject({ ok: false, refusal: { reason: 'bytes', queuedBytes: 60, bytes: 41 } });
    expect(admit(40).ok).toBe(true);
    // The first call went at once: its size was never computed.
    expect(sizes).toEqual([60, 41, 40]);
    expect(limiter.status()).toMatchObject({ queued: 2, queuedBytes: 100 });
  });

  it('with maxQueue 0 nothing waits: past the bucket every call is refused', () => {
    const limiter = createSendLimiter(settings({ bucket: 2, maxQueue: 0 }));
    expect([1, 2, 3].map(() => limiter.admit(() => 1).ok)).toEqual([true, true, false]);
  });
});

describe('changes in place', () => {
  it('configure: waiting calls keep their order and leave at the new rate', async () => {
    const limiter = createSendLimiter(settings({ frequency: 1 }));
    const left: string[] = [];
    admitMany(limiter, names(5), left);
    await vi.advanceTimersByTimeAsync(1000);
    expect(left).toEqual(names(2));
    limiter.configure(settings({ frequency: 20 }));
    await vi.advanceTimersByTimeAsync(49);
    expect(left).toEqual(names(2));
    await vi.advanceTimersByTimeAsync(1);
    expect(left).toEqual(names(3));
    await vi.advanceTimersByTimeAsync(100);
    expect(left).toEqual(names(5));
    expect(vi.getTimerCount()).toBe(0);
  });

  it('configure: a smaller bucket drops the tokens beyond it', () => {
    const limiter = createSendLimiter(settings({ bucket: 5 }));
    limiter.configure(settings({ bucket: 2 }));
    const goesNow = () => {
      const admission = limiter.admit(() => 1);
      return admission.ok && admission.ready === undefined;
    };
    expect([goesNow(), goesNow(), goesNow()]).toEqual([true, true, false]);
  });

  it('releaseAll lets every waiting call go now, in order, and stops the timer', async () => {
    const limiter = createSendLimiter(settings({ frequency: 0.1 }));
    const left: string[] = [];
    admitMany(limiter, names(4), left);
    limiter.releaseAll();
    await vi.advanceTimersByTimeAsync(0);
    expect(left).toEqual(names(4));
    expect(vi.getTimerCount()).toBe(0);
  });

  it('close fails every waiting call, leaves no timer, and lets only calls with a token go afterwards', async () => {
    const limiter = createSendLimiter(settings({ frequency: 1 }));
    const first = limiter.admit(() => 1);
    const waiting = [limiter.admit(() => 1), limiter.admit(() => 1)];
    const outcomes = waiting.map((admission) =>
      admission.ok && admission.ready
        ? admission.ready.then(
            () => 'went',
            (error: Error) => error.message,
          )
        : Promise.resolve('refused'),
    );
    limiter.close(new Error('stopping'));
    expect(first).toEqual({ ok: true, ready: undefined });
    expect(await Promise.all(outcomes)).toEqual(['stopping', 'stopping']);
    expect(vi.getTimerCount()).toBe(0);
    expect(limiter.admit(() => 1)).toMatchObject({ ok: false, refusal: { reason: 'closed' } });
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(1000);
    expect(limiter.admit(() => 1)).toEqual({ ok: true, ready: undefined });
    expect(limiter.status().refused).toBe(0);
  });

  it('idle: nothing waits and the bucket is full again', async () => {
    const limiter = createSendLimiter(settings({ frequency: 10, bucket: 2 }));
    expect(limiter.idle()).toBe(true);
    limiter.admit(() => 1);
    expect(limiter.idle()).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(limiter.idle()).toBe(true);
  });
});
