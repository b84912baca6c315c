import { describe, expect, it } from 'vitest';
import { createLogTap } from './log-tap.js';

describe('log tap', () => {
  it('keeps the newest lines within both bounds and streams live lines to listeners', () => {
    const tap = createLogTap({ maxLines: 3, maxChars: 10 });
    for (const line of ['aaaa\n', 'bbbb\n', 'cc\n', 'dd\n']) tap.write(line);
    // 4 lines > 3, and 'aaaa'+'bbbb'+'cc'+'dd' = 12 chars > 10: the oldest go.
    expect(tap.recent()).toEqual(['bbbb', 'cc', 'dd']);
    const seen: string[] = [];
    const stop = tap.listen((line) => seen.push(line));
    tap.write('ee\n');
    stop();
    tap.write('ff\n');
    expect(seen).toEqual(['ee']);
    expect(tap.listenerCount()).toBe(0);
  });

  it('streams but does not keep a line larger than the whole size bound', () => {
    const tap = createLogTap({ maxLines: 10, maxChars: 5 });
    tap.write('ok\n');
    const seen: string[] = [];
    tap.listen((line) => seen.push(line));
    tap.write('x'.repeat(6));
    expect(tap.recent()).toEqual(['ok']);
    expect(seen).toEqual(['xxxxxx']);
  });
});
