/**
 * Timers an adapter owns, cleared together when it stops: no adapter has to
 * remember which of its timers are pending. Every timer is unref'd: an
 * adapter's timers never keep the process alive on their own (its sockets
 * and servers do).
 */
export interface TimerScope {
  /** Run `fn` once after `ms`; returns the cancel. */
  timeout(fn: () => void, ms: number): () => void;
  /** Run `fn` every `ms`; returns the cancel. */
  interval(fn: () => void, ms: number): () => void;
  /** Cancel every pending timer of the scope. */
  clearAll(): void;
  /** Timers still pending (for tests and status). */
  readonly pending: number;
}

export function createTimerScope(): TimerScope {
  const timeouts = new Set<NodeJS.Timeout>();
  const intervals = new Set<NodeJS.Timeout>();
  return {
    timeout(fn, ms) {
      const timer = setTimeout(
        () => {
          timeouts.delete(timer);
          fn();
        },
        Math.max(0, ms),
      );
      timer.unref();
      timeouts.add(timer);
      return () => {
        clearTimeout(timer);
        timeouts.delete(timer);
      };
    },
    interval(fn, ms) {
      const timer = setInterval(fn, Math.max(1, ms));
      timer.unref();
      intervals.add(timer);
      return () => {
        clearInterval(timer);
        intervals.delete(timer);
      };
    },
    clearAll() {
      for (const timer of timeouts) clearTimeout(timer);
      for (const timer of intervals) clearInterval(timer);
      timeouts.clear();
      intervals.clear();
    },
    get pending() {
      return timeouts.size + intervals.size;
    },
  };
}

/**
 * The wait before the next reconnection attempt: the configured interval
 * plus up to 10 % (at most 1 s) of random jitter, so a fleet of gateways
 * cut by one upstream restart does not reconnect in lockstep.
 */
export function reconnectDelay(intervalMs: number): number {
  const base = Math.max(0, intervalMs);
  return Math.round(base + Math.random() * Math.min(1000, base * 0.1));
}

/**
 * One reconnection timer: at most one attempt is ever pending, and the time
 * of the next one is known (status shows a countdown).
 */
export interface ReconnectTimer {
  /** Schedule `attempt` after `reconnectDelay(intervalMs)`; does nothing when one is already pending. */
  schedule(intervalMs: number): void;
  cancel(): void;
  /** Epoch milliseconds of the pending attempt; undefined when none is. */
  readonly nextAttemptAt: number | undefined;
}

export interface ReconnectTimerOptions {
  /**
   * Unref the pending timer (the default). A client whose connection is
   * down holds no socket while it waits, so its retry is what keeps a
   * process that runs only that client alive: it passes false.
   */
  unref?: boolean;
}

export function createReconnectTimer(
  attempt: () => void,
  timerOptions: ReconnectTimerOptions = {},
): ReconnectTimer {
  let timer: NodeJS.Timeout | undefined;
  let nextAttemptAt: number | undefined;
  const cancel = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    nextAttemptAt = undefined;
  };
  return {
    schedule(intervalMs) {
      if (timer !== undefined) return;
      const delay = reconnectDelay(intervalMs);
      nextAttemptAt = Date.now() + delay;
      timer = setTimeout(() => {
        cancel();
        attempt();
      }, delay);
      if (timerOptions.unref !== false) timer.unref();
    },
    cancel,
    get nextAttemptAt() {
      return nextAttemptAt;
    },
  };
}

/**
 * Connection ids: each new connection takes the next id, and callbacks of an
 * older one (a late close, a pong from a socket already replaced) check
 * `isCurrent` and do nothing, instead of acting on the connection that
 * replaced them.
 */
export interface ConnectionIds {
  /** A new connection begins: its id. Every older id stops being current. */
  next(): number;
  /** No connection is current any more (stop): every id stops being current. */
  invalidate(): void;
  isCurrent(id: number): boolean;
}

export function createConnectionIds(): ConnectionIds {
  let current = 0;
  return {
    next: () => (current += 1),
    invalidate() {
      current += 1;
    },
    isCurrent: (id) => id === current,
  };
}
