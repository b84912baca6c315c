import { describe, expect, it } from 'vitest';
import { createUpstreamBacklog } from './upstream-backlog.js';

const MiB = 1024 * 1024;

describe('upstream backlog', () => {
  it('keeps a slow upstream that drains a little every interval', () => {
    const backlog = createUpstreamBacklog(16 * MiB);
    backlog.queued(16 * MiB);
    expect(backlog.stalledSinceLastTick(16 * MiB)).toBe(false);
    // 500 KB read in the interval, more queued meanwhile: slow, not stalled.
    backlog.queued(100);
    expect(backlog.stalledSinceLastTick(16 * MiB - 500_000 + 114)).toBe(false);
    expect(backlog.stalledSinceLastTick(16 * MiB - 1_000_000 + 114)).toBe(false);
  });

  it('calls an upstream stalled when it read nothing of what was waiting for a whole interval', () => {
    const backlog = createUpstreamBacklog(16 * MiB);
    backlog.queued(1000);
    expect(backlog.stalledSinceLastTick(1014)).toBe(false);
    // Two pings queued meanwhile, nothing read: the frame-header slack does not count as progress.
    backlog.queued(0);
    backlog.queued(0);
    expect(backlog.stalledSinceLastTick(1014 + 6)).toBe(true);
  });

  it('never calls an empty backlog stalled, and always admits one frame into it', () => {
    const backlog = createUpstreamBacklog(1024);
    expect(backlog.stalledSinceLastTick(0)).toBe(false);
    expect(backlog.admits(0, 10 * MiB)).toBe(true);
    expect(backlog.admits(1000, 100)).toBe(false);
  });
});
