import { describe, expect, it } from 'vitest';
import { createFirstAttempt } from './first-attempt.js';

/** Whether `promise` has resolved once pending callbacks ran. */
async function isSettled(promise: Promise<void>): Promise<boolean> {
  let settled = false;
  void promise.then(() => (settled = true));
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

describe('createFirstAttempt', () => {
  it('resolves the wait at the first settle; later settles do nothing', async () => {
    const first = createFirstAttempt();
    first.settle(); // before any wait: nothing to do
    const waited = first.wait();
    expect(await isSettled(waited)).toBe(false);
    first.settle();
    first.settle();
    expect(await isSettled(waited)).toBe(true);
  });

  it('hands the settling to a later step with take()', async () => {
    const first = createFirstAttempt();
    const waited = first.wait();
    const loggedIn = first.take();
    first.settle(); // a close after the open: the login step decides
    expect(await isSettled(waited)).toBe(false);
    loggedIn();
    expect(await isSettled(waited)).toBe(true);
  });

  it('settles a wait still pending when a new one begins', async () => {
    const first = createFirstAttempt();
    const earlier = first.wait();
    const later = first.wait();
    expect(await isSettled(earlier)).toBe(true);
    expect(await isSettled(later)).toBe(false);
    first.settle();
    expect(await isSettled(later)).toBe(true);
  });
});
