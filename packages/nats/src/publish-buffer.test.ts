import { describe, expect, it } from 'vitest';
import { createPublishBuffer, type PendingPublish } from './publish-buffer.js';

const entry = (id: number, bytes = 10): PendingPublish => ({
  subject: 's',
  messageId: String(id),
  payload: new Uint8Array(bytes),
});

describe('publish buffer', () => {
  it('keeps order, lets stored entries go in any order and counts bytes', () => {
    const buffer = createPublishBuffer(1000);
    const entries = [1, 2, 3, 4].map((id) => entry(id));
    for (const item of entries) buffer.push(item);
    expect(buffer.peek(2).map((item) => item.messageId)).toEqual(['1', '2']);
    buffer.stored([entries[1]!]);
    expect(buffer.peek(10).map((item) => item.messageId)).toEqual(['1', '3', '4']);
    expect(buffer.size()).toBe(3);
    expect(buffer.bytes()).toBe(30);
    buffer.stored([entries[0]!, entries[2]!, entries[3]!]);
    expect(buffer.size()).toBe(0);
    expect(buffer.bytes()).toBe(0);
  });

  it('drops the oldest past the byte limit and ignores a later "stored" for a dropped entry', () => {
    const buffer = createPublishBuffer(25);
    const entries = [1, 2, 3].map((id) => entry(id));
    expect(buffer.push(entries[0]!)).toBe(0);
    expect(buffer.push(entries[1]!)).toBe(0);
    expect(buffer.push(entries[2]!)).toBe(1);
    expect(buffer.dropped()).toBe(1);
    buffer.stored([entries[0]!]);
    expect(buffer.size()).toBe(2);
    expect(buffer.bytes()).toBe(20);
  });

  it('stays bounded over a long run (the dead head is compacted)', () => {
    const buffer = createPublishBuffer(100);
    for (let id = 0; id < 100_000; id += 1) buffer.push(entry(id));
    expect(buffer.size()).toBe(10);
    expect(buffer.bytes()).toBe(100);
    expect(buffer.dropped()).toBe(99_990);
    expect(buffer.peek(1)[0]!.messageId).toBe('99990');
  });
});
