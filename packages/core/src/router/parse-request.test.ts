import { describe, expect, it } from 'vitest';
import { parseActionText } from './parse-request.js';

describe('parseActionText', () => {
  it('parses text and Buffers alike, BOM or not', () => {
    const text = '{"action":"get_status","echo":0}';
    for (const input of [text, Buffer.from(text), `\uFEFF${text}`, Buffer.from(`\uFEFF${text}`)]) {
      expect(parseActionText(input)).toEqual({ ok: true, request: { action: 'get_status', echo: 0 } });
    }
  });

  it('returns any JSON value: the router judges the shape', () => {
    expect(parseActionText('[1]')).toEqual({ ok: true, request: [1] });
    expect(parseActionText('null')).toEqual({ ok: true, request: null });
  });

  it.each(['', '{', '{"action":"x",}', 'action=get_status', '\u0000', '{"echo":1'])(
    'answers 1400 without echo for %j',
    (input) => {
      const parsed = parseActionText(input);
      expect(parsed.ok).toBe(false);
      if (parsed.ok) return;
      expect(parsed.response).toEqual({
        status: 'failed',
        retcode: 1400,
        data: null,
        message: 'request could not be parsed: it is not valid JSON; send {"action": "...", "params": {...}}',
        wording: expect.any(String),
      });
      expect(Object.hasOwn(parsed.response, 'echo')).toBe(false);
    },
  );

  it('handles a hugely nested frame without crashing', () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const parsed = parseActionText(deep);
    // V8 may parse it (the router then answers 1400 for the depth) or refuse it.
    if (!parsed.ok) expect(parsed.response.retcode).toBe(1400);
    else expect(Array.isArray(parsed.request)).toBe(true);
  });
});
