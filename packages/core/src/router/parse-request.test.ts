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

describe('parseActionText on large hostile frames', () => {
  it('refuses megabytes of nesting without parsing them, in about the time a plain frame of that size takes', () => {
    const size = 8 * 1024 * 1024;
    const hostile = '['.repeat(size);
    const plain = JSON.stringify({ action: 'send_private_msg', params: { message: 'x'.repeat(size - 64) } });
    const timed = (input: string) => {
      const started = performance.now();
      const parsed = parseActionText(input);
      return { parsed, ms: performance.now() - started };
    };
    const plainRun = timed(plain);
    expect(plainRun.parsed.ok).toBe(true);
    const hostileRun = timed(hostile);
    expect(hostileRun.parsed).toMatchObject({
      ok: false,
      response: { retcode: 1400, message: expect.stringMatching(/nests deeper than 1024 levels/) },
    });
    // Parsing 8 MiB of "[" took ~2 s before the scan; the scan stops at level 1025.
    expect(hostileRun.ms).toBeLessThan(Math.max(50, plainRun.ms * 5));
    const balanced = `{"action":"x","params":{"a":${'['.repeat(4096)}${']'.repeat(4096)}},"pad":"${'x'.repeat(300_000)}"}`;
    expect(parseActionText(Buffer.from(balanced))).toMatchObject({ ok: false, response: { retcode: 1400 } });
  });

  it('parses a large frame that nests within 1024 levels as usual', () => {
    const text = `{"action":"x","params":{"a":${'['.repeat(200)}${']'.repeat(200)}},"pad":"${'[{'.repeat(200_000)}"}`;
    expect(parseActionText(text)).toMatchObject({ ok: true, request: { action: 'x' } });
  });
});
