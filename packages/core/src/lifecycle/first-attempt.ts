/**
 * What a client's `start()` waits for: the outcome of its first connection
 * attempt (served, refused, closed), or a `stop()` that came first, whichever
 * is sooner. ws-client and backend-upstream both resolve their start this
 * way; every outcome after the first does nothing.
 */
export interface FirstAttempt {
  /** A new wait (a start): resolves at the next `settle()`. A wait still pending is settled first. */
  wait(): Promise<void>;
  /** The attempt ended, or a stop began: the waiting start goes on. Does nothing when none waits. */
  settle(): void;
  /**
   * Hand the settling to a later step (the upstream's login query after the
   * socket opened): from now `settle()` does nothing for this wait; calling
   * the returned function settles it.
   */
  take(): () => void;
}

export function createFirstAttempt(): FirstAttempt {
  let waiting: (() => void) | undefined;
  const take = (): (() => void) => {
    const resolve = waiting;
    waiting = undefined;
    return () => resolve?.();
  };
  return {
    wait() {
      take()();
      return new Promise<void>((resolve) => {
        waiting = resolve;
      });
    },
    settle: () => take()(),
    take,
  };
}
