import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRecordingLogger } from './helpers/recording-logger.js';
import { createDropLog, DROP_LINES_PER_WINDOW, DROP_WINDOW_MS } from '../src/drop-log.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('createDropLog', () => {
  it('counts every drop, logs the first lines of a window and summarises the rest', () => {
    vi.useFakeTimers();
    const logger = createRecordingLogger();
    const drops = createDropLog<'queue_full' | 'timeout'>(logger);
    for (let i = 0; i < 25; i += 1)
      drops.record('queue_full', 'full', { time: 1, self_id: 1, post_type: 'message', message_id: i });
    drops.record('timeout', 'slow', undefined);
    expect(drops.total).toBe(26);
    expect(drops.byReason()).toEqual({ queue_full: 25, timeout: 1 });
    expect(logger.records).toHaveLength(DROP_LINES_PER_WINDOW + 1);
    expect(logger.records[0]).toMatchObject({
      level: 'warn',
      msg: 'dropped an event (queue_full): full',
      obj: { event: { message_id: 0 } },
    });
    vi.advanceTimersByTime(DROP_WINDOW_MS);
    expect(logger.records.at(-1)).toMatchObject({
      level: 'warn',
      msg: 'dropped 15 more events (queue_full) in the last 5 s',
    });
    drops.record('queue_full', 'full', undefined);
    expect(logger.records.at(-1)?.msg).toBe('dropped an event (queue_full): full');
    drops.flush();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('describes a lazily given event only for the lines it logs', () => {
    const logger = createRecordingLogger();
    const drops = createDropLog<'buffer_full'>(logger);
    let described = 0;
    for (let i = 0; i < DROP_LINES_PER_WINDOW + 5; i += 1)
      drops.record('buffer_full', 'full', () => {
        described += 1;
        return { time: 1, self_id: 1, post_type: 'notice', notice_type: 'friend_add' };
      });
    expect(described).toBe(DROP_LINES_PER_WINDOW);
    expect(logger.records[0]).toMatchObject({ obj: { event: { post_type: 'notice', type: 'friend_add' } } });
    drops.flush();
  });
});
