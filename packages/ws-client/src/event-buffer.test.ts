import { describe, expect, it } from 'vitest';
import { createEventBuffer, type BufferDropReason, type BufferedEvent } from './event-buffer.js';

const bytes = (n: number): Buffer => Buffer.from(String(n));
const texts = (items: BufferedEvent[]): string[] => items.map((item) => item.bytes.toString());

describe('createEventBuffer', () => {
  it('keeps events in order and drops the oldest when full, reporting each drop', () => {
    const drops: Array<[BufferDropReason, number]> = [];
    const buffer = createEventBuffer({ maxEvents: 3, maxAgeMs: 60_000 }, (reason, count) =>
      drops.push([reason, count]),
    );
    for (let i = 1; i <= 5; i += 1) buffer.push(bytes(i), 1000);
    expect(buffer.size).toBe(3);
    expect(texts(buffer.drain(1000))).toEqual(['3', '4', '5']);
    expect(drops).toEqual([
      ['buffer_full', 1],
      ['buffer_full', 1],
    ]);
    expect(buffer.size).toBe(0);
  });

  it('drops events older than maxAgeMs on push and on drain', () => {
    let dropped = 0;
    const buffer = createEventBuffer(
      { maxEvents: 10, maxAgeMs: 100 },
      (_reason, count) => (dropped += count),
    );
    buffer.push(bytes(1), 0);
    buffer.push(bytes(2), 50);
    buffer.push(bytes(3), 120); // 1 is now 120 ms old
    expect(dropped).toBe(1);
    expect(texts(buffer.drain(151))).toEqual(['3']); // 2 is 101 ms old
    expect(dropped).toBe(2);
  });

  it('bufferSize 0 keeps nothing; shrinking the limits drops the oldest; clear counts', () => {
    const reasons: BufferDropReason[] = [];
    const none = createEventBuffer({ maxEvents: 0, maxAgeMs: 1000 }, (reason) => reasons.push(reason));
    none.push(bytes(1));
    expect([none.size, reasons]).toEqual([0, ['buffer_full']]);

    const buffer = createEventBuffer({ maxEvents: 5, maxAgeMs: 1000 }, () => undefined);
    for (let i = 1; i <= 5; i += 1) buffer.push(bytes(i), 0);
    buffer.setLimits({ maxEvents: 2, maxAgeMs: 1000 });
    expect(texts(buffer.drain(0))).toEqual(['4', '5']);
    buffer.push(bytes(6), 0);
    expect(buffer.clear()).toBe(1);
  });

  it('stays bounded over a long outage', () => {
    const buffer = createEventBuffer({ maxEvents: 1000, maxAgeMs: 60_000 }, () => undefined);
    for (let i = 0; i < 100_000; i += 1) buffer.push(bytes(i), i);
    expect(buffer.size).toBe(1000);
    expect(texts(buffer.drain(100_000)).at(0)).toBe('99000');
  });

  it('requeue puts events back in front with their original time, and reports what it drops', () => {
    const dropped: string[] = [];
    const buffer = createEventBuffer({ maxEvents: 3, maxAgeMs: 100 }, (_reason, _count, items) =>
      dropped.push(...texts([...items])),
    );
    buffer.push(bytes(1), 0);
    buffer.push(bytes(2), 50);
    const taken = buffer.drain(50);
    buffer.push(bytes(3), 60);
    buffer.requeue(taken, 60);
    expect(buffer.size).toBe(3);
    // 1 was published at 0: at 101 it is too old, although it was requeued at 60.
    expect(texts(buffer.drain(101))).toEqual(['2', '3']);
    expect(dropped).toEqual(['1']);

    buffer.push(bytes(4), 200);
    buffer.push(bytes(5), 200);
    buffer.requeue(
      [
        { bytes: bytes(2), at: 190 },
        { bytes: bytes(3), at: 195 },
      ],
      200,
    );
    // Over maxEvents: the oldest (the requeued 2) is the one dropped.
    expect(texts(buffer.drain(200))).toEqual(['3', '4', '5']);
    expect(dropped).toEqual(['1', '2']);
  });
});
