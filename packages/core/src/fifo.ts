/**
 * A first-in first-out queue with O(1) `push` and `shift`: an array read from
 * a head index. `Array.prototype.shift()` moves every remaining item on each
 * call, which is quadratic on a long line; a linked list (yocto-queue)
 * allocates a node per item and cannot put items back in front, which the
 * ws-client's buffer needs. The array is compacted once at least half of it
 * (and at least 1024 slots) has been read, so the memory held stays within
 * twice the items waiting; taken slots are cleared at once so the garbage
 * collector can free what they held.
 */
export class Fifo<T> {
  #items: (T | undefined)[] = [];
  #head = 0;

  /** Items waiting. */
  get size(): number {
    return this.#items.length - this.#head;
  }

  /** Add `item` at the back. */
  push(item: T): void {
    this.#items.push(item);
  }

  /** Remove and return the oldest item; undefined when empty. */
  shift(): T | undefined {
    if (this.#head === this.#items.length) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined;
    this.#head += 1;
    this.#compact();
    return item;
  }

  /** The item `index` places from the front (0 = the oldest), not removed; undefined past the end. */
  at(index: number): T | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) return undefined;
    return this.#items[this.#head + index];
  }

  /** The oldest item, not removed; undefined when empty. */
  peek(): T | undefined {
    return this.at(0);
  }

  /** Remove and return the `count` oldest items, oldest first (all of them when fewer wait). */
  shiftMany(count: number): T[] {
    const taken = Math.max(0, Math.min(Math.floor(count), this.size));
    const out = this.#items.slice(this.#head, this.#head + taken) as T[];
    for (let i = 0; i < taken; i += 1) this.#items[this.#head + i] = undefined;
    this.#head += taken;
    this.#compact();
    return out;
  }

  /** Put `items` back in front, in their order: the first of them becomes the oldest. */
  unshiftAll(items: readonly T[]): void {
    if (items.length === 0) return;
    this.#items = [...items, ...this.#items.slice(this.#head)];
    this.#head = 0;
  }

  /** Remove and return every item, oldest first. */
  drain(): T[] {
    const out = this.#items.slice(this.#head) as T[];
    this.#items = [];
    this.#head = 0;
    return out;
  }

  /** Drop every item; returns how many were dropped. */
  clear(): number {
    const dropped = this.size;
    this.#items = [];
    this.#head = 0;
    return dropped;
  }

  /** Oldest first, without removing anything. */
  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = this.#head; i < this.#items.length; i += 1) yield this.#items[i] as T;
  }

  #compact(): void {
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
  }
}
