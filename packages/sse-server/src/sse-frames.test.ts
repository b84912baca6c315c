import { describe, expect, it } from 'vitest';
import { encodeEventFrame, parseLastEventId } from './sse-frames.js';

describe('SSE frames', () => {
  it('encodes id and one data line, ending with a blank line', () => {
    const json = JSON.stringify({ text: 'line1\nline2' });
    expect(encodeEventFrame(42, json).toString()).toBe('id: 42\ndata: {"text":"line1\\nline2"}\n\n');
  });

  it('reads Last-Event-ID only as a non-negative integer', () => {
    expect(parseLastEventId('17')).toBe(17);
    expect(parseLastEventId([' 3 '])).toBe(3);
    for (const bad of [undefined, '', '-1', '1.5', 'abc', '1e3', '9'.repeat(30), 5])
      expect(parseLastEventId(bad)).toBeUndefined();
  });
});
