/**
 * A bounded FIFO drained by at most `concurrency` workers at once. `push`
 * never blocks: when `capacity` items are already waiting it refuses the
 * item and the caller decides what to log. Memory is bounded by capacity.
 */
import { Fifo } from '@onebot-gateway/core/internal';

export interface DeliveryQueue<T> {
  /** Queue an item; false when the queue is full (the item was not taken). */
  push(item: T): boolean;
  /** Items waiting (not yet handed to a worker). */
  readonly waiting: number;
  /** Items a worker is busy with. */
  readonly active: number;
  /** Resolves true once nothing waits or runs, false if `timeoutMs` passed first. */
  whenIdle(timeoutMs: number): Promise<boolean>;
  /** Remove and return every waiting item (running ones are left alone). */
  takeWaiting(): T[];
  setLimits(limits: { capacity: number; concurrency: number }): void;
}

export interface DeliveryQueueOptions<T> {
  capacity: number;
  concurrency: number;
  /** Handles one item. Must not reject; a rejection is reported to `onWorkerError`. */
  worker(item: T): Promise<void>;
  onWorkerError(error: unknown): void;
}

export function createDeliveryQueue<T>(options: DeliveryQueueOptions<T>): DeliveryQueue<T> {
  let capacity = Math.max(1, options.capacity);
  let concurrency = Math.max(1, options.concurrency);
  const items = new Fifo<T>();
  let active = 0;
  let idleWaiters: Array<() => void> = [];

  const waiting = (): number => items.size;

  function notifyIdle(): void {
    if (active > 0 || waiting() > 0 || idleWaiters.length === 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /**
   * A worker loop takes items until none is left, like a hand-written
   * `while (queue.length) await post(queue.shift())` loop: no promise chain
   * per item, which the throughput benchmark showed to matter.
   */
  async function workerLoop(): Promise<void> {
    active += 1;
    try {
      while (waiting() > 0 && active <= concurrency) {
        const item = items.shift() as T;
        try {
          await options.worker(item);
        } catch (error) {
          options.onWorkerError(error);
        }
      }
    } finally {
      active -= 1;
      pump();
      notifyIdle();
    }
  }

  function pump(): void {
    while (active < concurrency && waiting() > 0) void workerLoop();
  }

  return {
    push(item) {
      if (waiting() >= capacity) return false;
      items.push(item);
      pump();
      return true;
    },
    get waiting() {
      return waiting();
    },
    get active() {
      return active;
    },
    whenIdle(timeoutMs) {
      if (active === 0 && waiting() === 0) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          idleWaiters = idleWaiters.filter((w) => w !== onIdle);
          resolve(false);
        }, timeoutMs);
        const onIdle = (): void => {
          clearTimeout(timer);
          resolve(true);
        };
        idleWaiters.push(onIdle);
      });
    },
    takeWaiting() {
      const taken = items.drain();
      notifyIdle();
      return taken;
    },
    setLimits(limits) {
      capacity = Math.max(1, limits.capacity);
      concurrency = Math.max(1, limits.concurrency);
      pump();
    },
  };
}
