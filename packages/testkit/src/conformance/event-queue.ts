/** An async FIFO: producers push, the test awaits `next()` with a timeout. */
export interface AsyncQueue<T> {
  push(item: T): void;
  next(timeoutMs: number, what: string): Promise<T>;
  /** Items received but not taken yet. */
  pending(): T[];
  /** Reject current and future waits (the source closed). */
  end(reason: string): void;
}

export function createAsyncQueue<T>(): AsyncQueue<T> {
  const items: T[] = [];
  const waiters: Array<{ resolve: (item: T) => void; reject: (error: Error) => void }> = [];
  let ended: string | undefined;
  return {
    push(item) {
      const waiter = waiters.shift();
      if (waiter) waiter.resolve(item);
      else items.push(item);
    },
    next(timeoutMs, what) {
      if (items.length > 0) return Promise.resolve(items.shift()!);
      if (ended !== undefined) return Promise.reject(new Error(`no ${what}: ${ended}`));
      return new Promise<T>((resolve, reject) => {
        const waiter = {
          resolve: (item: T) => {
            clearTimeout(timer);
            resolve(item);
          },
          reject: (error: Error) => {
            clearTimeout(timer);
            reject(error);
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`no ${what} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    pending: () => [...items],
    end(reason) {
      ended = reason;
      for (const waiter of waiters.splice(0)) waiter.reject(new Error(`no more items: ${reason}`));
    },
  };
}
