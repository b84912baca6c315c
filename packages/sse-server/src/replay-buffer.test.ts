import { describe, expect, it } from 'vitest';
import { createReplayBuffer } from './replay-buffer.js';

const frame = (n: number) => Buffer.from(String(n));
const texts = (frames: Buffer[]) => frames.map((f) => f.toString());

describe('createReplayBuffer', () => {
  it('returns the frames after an id, oldest first', () => {
    const buffer = createReplayBuffer(10);
    for (let seq = 1; seq <= 5; seq += 1) buffer.push(seq, frame(seq));
    expect(texts(buffer.since(2).frames)).toEqual(['3', '4', '5']);
    expect(buffer.since(5)).toEqual({ frames: [], lost: 0 });
    expect(texts(buffer.since(0).frames)).toEqual(['1', '2', '3', '4', '5']);
  });

  it('keeps only the newest `capacity` frames and counts what fell out', () => {
    const buffer = createReplayBuffer(3);
    for (let seq = 1; seq <= 8; seq += 1) buffer.push(seq, frame(seq));
    expect(buffer.size).toBe(3);
    expect(buffer.since(1)).toEqual({ frames: [frame(6), frame(7), frame(8)], lost: 4 });
    expect(texts(buffer.since(6).frames)).toEqual(['7', '8']);
  });

  it('keeps nothing with capacity 0 but still counts the gap', () => {
    const buffer = createReplayBuffer(0);
    buffer.push(1, frame(1));
    buffer.push(2, frame(2));
    expect(buffer.since(0)).toEqual({ frames: [], lost: 2 });
  });

  it('resizes keeping the newest frames, and clears', () => {
    const buffer = createReplayBuffer(5);
    for (let seq = 1; seq <= 7; seq += 1) buffer.push(seq, frame(seq));
    buffer.resize(2);
    expect(texts(buffer.since(0).frames)).toEqual(['6', '7']);
    buffer.resize(4);
    buffer.push(8, frame(8));
    buffer.push(9, frame(9));
    buffer.push(10, frame(10));
    expect(texts(buffer.since(0).frames)).toEqual(['7', '8', '9', '10']);
    buffer.clear();
    buffer.push(11, frame(11));
    expect(buffer.since(9)).toEqual({ frames: [frame(11)], lost: 1 });
  });

  it('drops the oldest frames past the byte cap, keeping a gapless run up to the newest', () => {
    const buffer = createReplayBuffer(100, 10);
    for (let seq = 1; seq <= 6; seq += 1) buffer.push(seq, Buffer.alloc(3, String(seq)));
    // 6 frames of 3 bytes: only the newest 3 (9 bytes) fit under 10.
    expect(buffer.bytes).toBe(9);
    expect(buffer.since(0).frames.map((f) => f.toString())).toEqual(['444', '555', '666']);
    expect(buffer.since(0).lost).toBe(3);
    expect(buffer.since(4).frames.map((f) => f.toString())).toEqual(['555', '666']);
  });

  it('keeps nothing older than a frame too big to replay', () => {
    const buffer = createReplayBuffer(100, 10);
    buffer.push(1, frame(1));
    buffer.push(2, Buffer.alloc(11));
    expect(buffer.since(0)).toEqual({ frames: [], lost: 2 });
    buffer.push(3, frame(3));
    expect(buffer.since(0)).toEqual({ frames: [frame(3)], lost: 2 });
  });

  it('applies a lower byte cap on resize and keeps it when only the count changes', () => {
    const buffer = createReplayBuffer(100);
    for (let seq = 1; seq <= 50; seq += 1) buffer.push(seq, Buffer.alloc(10));
    buffer.resize(100, 95);
    expect(buffer.size).toBe(9);
    buffer.resize(200);
    for (let seq = 51; seq <= 60; seq += 1) buffer.push(seq, Buffer.alloc(10));
    expect(buffer.size).toBe(9);
    expect(buffer.bytes).toBe(90);
  });

  it('stays correct across many drops (compaction)', () => {
    const buffer = createReplayBuffer(7, 1000);
    for (let seq = 1; seq <= 5000; seq += 1) buffer.push(seq, frame(seq));
    expect(texts(buffer.since(4990).frames)).toEqual([
      '4994',
      '4995',
      '4996',
      '4997',
      '4998',
      '4999',
      '5000',
    ]);
    expect(buffer.since(4990).lost).toBe(3);
    expect(buffer.bytes).toBe(28);
  });
});
