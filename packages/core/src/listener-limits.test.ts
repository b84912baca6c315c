import { createServer } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRecordingLogger } from '../test/helpers/recording-logger.js';
import { REFUSED_WARNING_WINDOW_MS, applyListenerLimits } from './listener-limits.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('applyListenerLimits', () => {
  it('sets the cap, the header deadline, 12 times it for the whole request and the keep-alive idle time, and update() changes them in place', () => {
    const server = createServer();
    const limits = applyListenerLimits(
      server,
      { maxConnections: 5, requestTimeout: 300 },
      createRecordingLogger(),
      'x',
    );
    expect(server).toMatchObject({
      maxConnections: 5,
      headersTimeout: 300,
      requestTimeout: 3600,
      keepAliveTimeout: 300,
    });
    // The sweep runs often enough for a 300 ms deadline to hold within a fraction of it.
    expect(
      (server as unknown as { connectionsCheckingInterval: number }).connectionsCheckingInterval,
    ).toBeLessThanOrEqual(75);
    limits.update({ maxConnections: 9, requestTimeout: 10_000 });
    expect(server).toMatchObject({
      maxConnections: 9,
      headersTimeout: 10_000,
      requestTimeout: 120_000,
      keepAliveTimeout: 5000,
    });
    limits.dispose();
  });

  it('logs the first refusal at once, then at most one summary line per window with the count', () => {
    vi.useFakeTimers();
    const logger = createRecordingLogger();
    const server = createServer();
    const limits = applyListenerLimits(server, { maxConnections: 2, requestTimeout: 10_000 }, logger, 'api');
    const warnings = () => logger.records.filter((r) => r.level === 'warn');
    for (let i = 0; i < 5; i += 1) server.emit('drop', { remoteAddress: '127.0.0.1' });
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]!.msg).toMatch(/^api: refused a connection: 2 connections are already open/);

    vi.advanceTimersByTime(REFUSED_WARNING_WINDOW_MS);
    expect(warnings()).toHaveLength(2);
    expect(warnings()[1]!.msg).toMatch(/^api: refused 4 more connections in the last 10 s/);
    expect(warnings()[1]!.obj).toMatchObject({ refused: 4, maxConnections: 2 });

    server.emit('drop', {});
    vi.advanceTimersByTime(REFUSED_WARNING_WINDOW_MS - 1);
    expect(warnings()).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(warnings()[2]!.msg).toMatch(/refused 1 more connection in the last 10 s/);

    // A quiet window ends the flood: the next refusal gets its own line at once.
    vi.advanceTimersByTime(REFUSED_WARNING_WINDOW_MS);
    expect(warnings()).toHaveLength(3);
    server.emit('drop', {});
    expect(warnings()).toHaveLength(4);
    limits.dispose();
    expect(vi.getTimerCount()).toBe(0);
  });
});
