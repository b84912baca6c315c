/**
 * One overall deadline per POST attempt, covering the wait for headers and
 * the whole reply body. undici's own timers are not enough: its headers
 * timer restarts on every `1xx` (an endpoint sending `103 Early Hints` every
 * 300 ms kept an attempt with a 1 s timeout pending for 9+ s), and its body
 * timer only bounds the gap between two chunks.
 *
 * A timer and an AbortController per request were the largest avoidable cost
 * in the throughput benchmark (and so was handing undici a `signal`), so one
 * sweep timer per poster runs while attempts are in flight and tells the late
 * ones' handlers, which abort them with the function undici gave them
 * (post-handler.ts).
 */

/** What an attempt past its deadline is aborted with; classified as a timeout. */
export const ATTEMPT_DEADLINE_CODE = 'ATTEMPT_DEADLINE_EXCEEDED';

/** How often the sweep runs: the most an attempt can overrun its deadline. */
export const DEADLINE_SWEEP_MS = 50;

type AbortListener = () => void;

export class AttemptDeadline {
  aborted = false;
  reason: Error | undefined;
  private listener: AbortListener | undefined;

  constructor(
    readonly at: number,
    readonly timeoutMs: number,
    private readonly release: (deadline: AttemptDeadline) => void,
  ) {}

  addEventListener(_type: 'abort', listener: AbortListener): void {
    this.listener = listener;
  }

  removeEventListener(_type: 'abort', listener: AbortListener): void {
    if (this.listener === listener) this.listener = undefined;
  }

  expire(): void {
    this.aborted = true;
    this.reason = Object.assign(new Error(`the whole attempt took longer than ${this.timeoutMs} ms`), {
      code: ATTEMPT_DEADLINE_CODE,
    });
    const listener = this.listener;
    this.listener = undefined;
    listener?.();
  }

  /** The attempt is over (answered or failed): stop watching it. */
  finish(): void {
    this.release(this);
  }
}

export interface AttemptDeadlines {
  begin(timeoutMs: number): AttemptDeadline;
  /** Stop the sweep (the poster is closed); in-flight attempts are ended by undici itself. */
  clear(): void;
}

export function createAttemptDeadlines(): AttemptDeadlines {
  const pending = new Set<AttemptDeadline>();
  let sweeper: NodeJS.Timeout | undefined;

  function stopSweeping(): void {
    if (sweeper !== undefined) clearInterval(sweeper);
    sweeper = undefined;
  }

  function sweep(): void {
    const now = Date.now();
    for (const deadline of pending) {
      if (now < deadline.at) continue;
      pending.delete(deadline);
      deadline.expire();
    }
    if (pending.size === 0) stopSweeping();
  }

  const release = (deadline: AttemptDeadline): void => {
    pending.delete(deadline);
  };

  return {
    begin(timeoutMs) {
      const deadline = new AttemptDeadline(Date.now() + timeoutMs, timeoutMs, release);
      pending.add(deadline);
      if (sweeper === undefined) {
        sweeper = setInterval(sweep, DEADLINE_SWEEP_MS);
        sweeper.unref();
      }
      return deadline;
    },
    clear() {
      pending.clear();
      stopSweeping();
    },
  };
}
