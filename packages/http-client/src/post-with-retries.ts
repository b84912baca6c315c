import type { AttemptResult } from './event-poster.js';

export interface RetryPolicy {
  /** Attempts in total, the first one included (config `retries`). */
  attempts: number;
  /** Wait before the second attempt; doubles for each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryDelays = { baseDelayMs: 250, maxDelayMs: 4000 };

/** Exponential backoff with +-20 % jitter so many adapters don't retry in lockstep. */
export function retryDelay(policy: RetryPolicy, failedAttempts: number): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempts - 1));
  return Math.round(exponential * (0.8 + Math.random() * 0.4));
}

function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export type FinalResult = AttemptResult & { attempts: number };

/**
 * Given the failed first attempt, run `attempt` again until it delivers,
 * fails for a reason not worth retrying, runs out of attempts, or `signal`
 * aborts (the adapter stops). The first attempt is made by the caller so the
 * common case (it worked) costs no closure and no extra promise.
 */
export async function retryFailedPost(
  first: AttemptResult & { ok: false },
  attempt: () => Promise<AttemptResult>,
  policy: RetryPolicy,
  signal: AbortSignal,
  onRetry: (failed: AttemptResult & { ok: false }, attemptNumber: number, delayMs: number) => void,
): Promise<FinalResult> {
  const attempts = Math.max(1, Math.floor(policy.attempts));
  let result: AttemptResult = first;
  for (let n = 1; ; n += 1) {
    if (n > 1) result = await attempt();
    if (result.ok || !result.retryable || n >= attempts) return { ...result, attempts: n };
    const delay = retryDelay(policy, n);
    onRetry(result, n, delay);
    if (!(await sleep(delay, signal))) {
      return {
        ok: false,
        retryable: false,
        reason: 'stopped',
        detail: `the adapter stopped before retry ${n + 1} (${result.detail})`,
        attempts: n,
      };
    }
  }
}
