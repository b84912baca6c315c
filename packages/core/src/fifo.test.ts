import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { Fifo } from './fifo.js';

describe('Fifo', () => {
  it('hands items back in the order they came', () => {
    const fifo = new Fifo<number>();
    expect(fifo.shift()).toBeUndefined();
    for (let i = 0; i < 5; i += 1) fifo.push(i);
    expect(fifo.size).toBe(5);
    expect(fifo.peek()).toBe(0);
    expect([fifo.shift(), fifo.shift()]).toEqual([0, 1]);
    fifo.push(5);
    expect([...fifo]).toEqual([2, 3, 4, 5]);
    expect(fifo.drain()).toEqual([2, 3, 4, 5]);
    expect(fifo.size).toBe(0);
    expect(fifo.peek()).toBeUndefined();
  });

  it('keeps undefined and null items apart from "empty" by size', () => {
    const fifo = new Fifo<number | null | undefined>();
    fifo.push(undefined);
    fifo.push(null);
    expect(fifo.size).toBe(2);
    expect(fifo.shift()).toBeUndefined();
    expect(fifo.size).toBe(1);
    expect(fifo.shift()).toBeNull();
    expect(fifo.size).toBe(0);
  });

  it('reads any waiting place with at() and refuses places that are not there', () => {
    const fifo = new Fifo<string>();
    for (const item of ['a', 'b', 'c']) fifo.push(item);
    fifo.shift();
    expect([fifo.at(0), fifo.at(1)]).toEqual(['b', 'c']);
    for (const index of [2, -1, 0.5, Number.NaN]) expect(fifo.at(index)).toBeUndefined();
  });

  it('takes several at once and puts items back in front in their order', () => {
    const fifo = new Fifo<number>();
    for (let i = 0; i < 6; i += 1) fifo.push(i);
    const taken = fifo.shiftMany(3);
    expect(taken).toEqual([0, 1, 2]);
    expect(fifo.shiftMany(-2)).toEqual([]);
    fifo.unshiftAll(taken);
    expect([...fifo]).toEqual([0, 1, 2, 3, 4, 5]);
    expect(fifo.shiftMany(100)).toEqual([0, 1, 2, 3, 4, 5]);
    fifo.unshiftAll([]);
    expect(fifo.size).toBe(0);
  });

  it('clear() drops everything and says how much', () => {
    const fifo = new Fifo<number>();
    fifo.push(1);
    fifo.push(2);
    expect(fifo.clear()).toBe(2);
    expect(fifo.size).toBe(0);
    fifo.push(3);
    expect(fifo.shift()).toBe(3);
  });

  it('stays in order across compaction on a long line that is never empty', () => {
    const fifo = new Fifo<number>();
    let next = 0;
    let expected = 0;
    const outOfOrder: number[] = [];
    for (let round = 0; round < 50_000; round += 1) {
      fifo.push(next++);
      fifo.push(next++);
      if (fifo.shift() !== expected) outOfOrder.push(expected);
      expected += 1;
    }
    expect(outOfOrder).toEqual([]);
    expect(fifo.size).toBe(50_000);
    expect(fifo.peek()).toBe(expected);
    const rest = fifo.drain();
    expect(rest[0]).toBe(expected);
    expect(rest.at(-1)).toBe(next - 1);
  });

  it('does not keep a taken item reachable (memory is released as items leave)', async () => {
    const fifo = new Fifo<object>();
    let item: object | undefined = { big: 'x'.repeat(1000) };
    const ref = new WeakRef(item);
    fifo.push(item);
    fifo.push({});
    fifo.shift();
    item = undefined;
    // The queue still holds one item, so the array is not dropped: only the cleared slot frees the first.
    // A gc() of our own without --expose-gc on the whole test run.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    // WeakRef targets are kept until the current job ends.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    expect(ref.deref()).toBeUndefined();
    expect(fifo.size).toBe(1);
  });
});
