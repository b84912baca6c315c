import type { AdapterState } from '../adapter.js';

/** What an adapter does to come up and go down; the lifecycle decides when. */
export interface LifecycleSteps {
  /**
   * Bring the adapter up: listen, or make the first connection attempt.
   * Rejects with a clear error (the lifecycle records it and marks the
   * adapter failed); whatever it opened before failing it closes itself.
   */
  open(): Promise<void>;
  /** Close every socket and timer `open` made. Runs after a failed open too, so it must cope with half-open state. */
  close(): Promise<void>;
  /** Told of every failure of `open`, for the adapter's error counter and `lastError`. */
  onError?(error: unknown): void;
  /** Told after `stop` closed the adapter (not after the close of a reopen or a failed open): its "stopped" log line. */
  stopped?(): void;
}

/**
 * The state machine every adapter shares: one transition at a time (a
 * reload racing a stop never leaves a socket behind), `start` and `stop`
 * idempotent, failures recorded once.
 */
export interface AdapterLifecycle {
  readonly state: AdapterState;
  /** No-op when running; otherwise opens. Rejects with open's error and leaves the state `failed`. */
  start(): Promise<void>;
  /** No-op unless running or failed; closes and leaves the state `stopped`. */
  stop(): Promise<void>;
  /**
   * Run `step` after every transition already asked for, before any asked
   * for later: the body of an adapter's `reload` (and `reloadTls`) runs here.
   */
  serially<T>(step: () => Promise<T>): Promise<T>;
  /** Close and open again, inside a `serially` step: a reload that must rebind. */
  reopen(): Promise<void>;
}

export interface LifecycleOptions {
  /**
   * A transition asked for while none is in progress begins inside the call
   * (synchronously, up to its first await) instead of on the next microtask.
   * A client adapter needs it: it subscribes to the bus inside `start` and
   * takes its session off the bus inside `reload`, and events published
   * right after either call must reach its buffer. Default false.
   */
  beginAtOnce?: boolean;
}

export function createAdapterLifecycle(
  steps: LifecycleSteps,
  lifecycleOptions: LifecycleOptions = {},
): AdapterLifecycle {
  let state: AdapterState = 'idle';
  let queue: Promise<unknown> = Promise.resolve();
  /** Transitions asked for and not yet settled. */
  let pending = 0;

  function serially<T>(step: () => Promise<T>): Promise<T> {
    const atOnce = lifecycleOptions.beginAtOnce === true && pending === 0;
    pending += 1;
    const begun = atOnce ? new Promise<T>((resolve) => resolve(step())) : queue.then(step, step);
    // Counted down before the caller's await resumes, so a call right after it begins at once too.
    const result = begun.then(
      (value) => {
        pending -= 1;
        return value;
      },
      (error: unknown) => {
        pending -= 1;
        throw error;
      },
    );
    queue = result.catch(() => undefined);
    return result;
  }

  async function openNow(): Promise<void> {
    state = 'starting';
    try {
      await steps.open();
      state = 'running';
    } catch (error) {
      state = 'failed';
      steps.onError?.(error);
      // Whatever the failed open left half made (a timer, a server that never listened) goes now.
      await steps.close().catch(() => undefined);
      throw error;
    }
  }

  async function closeNow(): Promise<void> {
    state = 'stopping';
    try {
      await steps.close();
    } finally {
      state = 'stopped';
    }
  }

  return {
    get state() {
      return state;
    },
    start: () =>
      serially(async () => {
        if (state === 'running') return;
        await openNow();
      }),
    stop: () =>
      serially(async () => {
        if (state !== 'running' && state !== 'failed') return;
        await closeNow();
        steps.stopped?.();
      }),
    serially,
    async reopen() {
      if (state === 'running') await closeNow();
      await openNow();
    },
  };
}
