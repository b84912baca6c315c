import { describe, expect, it } from 'vitest';
import { createRecordingLogger } from './helpers/recording-logger.js';
import { createWindowedDrops } from '../src/windowed-drops.js';

describe('createWindowedDrops', () => {
  it('warns up to the window budget, then logs at debug, and opens the next window with one summary line', () => {
    const logger = createRecordingLogger();
    let now = 1000;
    const drops = createWindowedDrops(logger, {
      warningsPerWindow: 2,
      windowMs: 60_000,
      totalKey: 'droppedThings',
      summary: (quiet) => `${quiet} more things dropped at debug only`,
      now: () => now,
    });
    for (let i = 0; i < 5; i++) drops.record(`dropped thing ${i}`, { where: 'here' });
    expect(logger.records.map((record) => record.level)).toEqual(['warn', 'warn', 'debug', 'debug', 'debug']);
    expect(drops.total()).toBe(5);
    expect(drops.last()).toBe('dropped thing 4');

    now += 59_999;
    drops.record('still the same window', {});
    expect(logger.records.at(-1)?.level).toBe('debug');

    now += 1;
    drops.record('a new window', { where: 'there' });
    expect(logger.records.slice(-2).map((record) => [record.level, record.msg])).toEqual([
      ['warn', '4 more things dropped at debug only'],
      ['warn', 'a new window'],
    ]);
    expect(drops.total()).toBe(7);
  });

  it("puts the running total under the named key, after the caller's fields", () => {
    const logger = createRecordingLogger();
    const drops = createWindowedDrops(logger, {
      warningsPerWindow: 10,
      windowMs: 1000,
      totalKey: 'droppedFrames',
      summary: () => 'unused',
      now: () => 0,
    });
    drops.record('one', { problem: 'not JSON' });
    drops.record('two', { problem: 'too deep' });
    const last = logger.records.at(-1)!;
    expect(last.msg).toBe('two');
    expect(Object.entries(last.obj)).toEqual([
      ['problem', 'too deep'],
      ['droppedFrames', 2],
    ]);
  });
});
