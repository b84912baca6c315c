/** What `settleWithin` saw first: the task's value, or the deadline. */
export type SettledWithin<T> = { settled: true; value: T } | { settled: false };

/**
 * Waits for `task` at most `ms` milliseconds. Resolves with its value, or
 * with `{settled: false}` at the deadline (the task keeps running on its
 * own; what to do about it is the caller's call); rejects when the task
 * rejects first. The timer is cleared either way, so nothing outlives the
 * wait. `unref`: the deadline alone does not keep the process alive.
 */
export function settleWithin<T>(
  task: Promise<T>,
  ms: number,
  options: { unref?: boolean } = {},
): Promise<SettledWithin<T>> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<SettledWithin<T>>((resolve) => {
    timer = setTimeout(() => resolve({ settled: false }), Math.max(0, ms));
    if (options.unref === true) timer.unref();
  });
  const settled = task.then((value): SettledWithin<T> => ({ settled: true, value }));
  return Promise.race([settled, deadline]).finally(() => clearTimeout(timer));
}
