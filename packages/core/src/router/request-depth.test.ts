import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_REQUEST_DEPTH, isJsonTextNestedDeeperThan, isNestedDeeperThan } from './request-depth.js';

describe('isJsonTextNestedDeeperThan', () => {
  it('agrees with isNestedDeeperThan on the parsed value, as text and as UTF-8 bytes', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 9 }), (value, limit) => {
        const text = JSON.stringify(value);
        const expected = isNestedDeeperThan(JSON.parse(text), limit);
        expect(isJsonTextNestedDeeperThan(text, limit)).toBe(expected);
        expect(isJsonTextNestedDeeperThan(Buffer.from(text), limit)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(isJsonTextNestedDeeperThan('{"a":"[[[{{{","b":"\\"[[["}', 1)).toBe(false);
    expect(isJsonTextNestedDeeperThan('["\\\\",[[]]]', 2)).toBe(true);
  });

  it('stops at the first level past the limit: 50 MB of [ is refused at once', () => {
    const hostile = Buffer.alloc(50 * 1024 * 1024, '[');
    const started = performance.now();
    expect(isJsonTextNestedDeeperThan(hostile, MAX_REQUEST_DEPTH)).toBe(true);
    expect(performance.now() - started).toBeLessThan(50);
    expect(isJsonTextNestedDeeperThan('['.repeat(128) + ']'.repeat(128), MAX_REQUEST_DEPTH)).toBe(false);
    expect(isJsonTextNestedDeeperThan('['.repeat(129) + ']'.repeat(129), MAX_REQUEST_DEPTH)).toBe(true);
  });
});
