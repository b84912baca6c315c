import { createRecordingLogger } from '@onebot-gateway/testkit';
import { describe, expect, it } from 'vitest';
import {
  FRAME_DROP_WARNINGS_PER_WINDOW,
  FRAME_DROP_WINDOW_MS,
  createFrameDrops,
} from '../src/frame-drops.js';

describe('createFrameDrops', () => {
  it('warns once per bad frame up to the per-minute budget, then logs at debug and sums up in the next minute', () => {
    const logger = createRecordingLogger();
    let now = 0;
    const drops = createFrameDrops(logger, () => now);
    for (let i = 0; i < FRAME_DROP_WARNINGS_PER_WINDOW + 5; i++) drops.record('not JSON', `frame ${i}`);
    const levels = () => logger.records.map((r) => r.level);
    expect(levels().filter((l) => l === 'warn')).toHaveLength(FRAME_DROP_WARNINGS_PER_WINDOW);
    expect(levels().filter((l) => l === 'debug')).toHaveLength(5);
    expect(drops.total()).toBe(FRAME_DROP_WARNINGS_PER_WINDOW + 5);

    now += FRAME_DROP_WINDOW_MS;
    drops.record('nested too deep', 'the next one');
    const lastTwo = logger.records.slice(-2).map((r) => [r.level, r.msg]);
    expect(lastTwo).toEqual([
      ['warn', '5 more bad frames from the upstream were dropped and logged at debug only'],
      ['warn', 'dropped a frame from the upstream: the next one'],
    ]);
    expect(drops.last()).toBe('dropped a frame from the upstream: the next one');
  });
});
