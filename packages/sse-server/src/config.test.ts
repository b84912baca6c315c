import { describe, expect, it } from 'vitest';
import { resolveSseServerConfig, sseServerDefaults } from './config.js';

describe('resolveSseServerConfig sseReplayBufferBytes', () => {
  it('defaults to 4 MiB, and to half of maxBufferedBytes when that is smaller', () => {
    expect(sseServerDefaults.sseReplayBufferBytes).toBe(4 * 1024 * 1024);
    expect(resolveSseServerConfig({ maxBufferedBytes: 1_000_001 }).sseReplayBufferBytes).toBe(500_000);
  });

  it('takes a value (NapCat numeric strings too) and never more than half of maxBufferedBytes', () => {
    expect(resolveSseServerConfig({ sseReplayBufferBytes: '65536' }).sseReplayBufferBytes).toBe(65_536);
    expect(resolveSseServerConfig({ sseReplayBufferBytes: 0 }).sseReplayBufferBytes).toBe(0);
    expect(resolveSseServerConfig({ sseReplayBufferBytes: 64 * 1024 * 1024 }).sseReplayBufferBytes).toBe(
      8 * 1024 * 1024,
    );
  });

  it('refuses what is not a non-negative integer, naming the entry and the key', () => {
    for (const bad of [-1, 1.5, 'lots', true]) {
      expect(() => resolveSseServerConfig({ name: 'events', sseReplayBufferBytes: bad })).toThrow(
        expect.objectContaining({
          code: 'CONFIG_INVALID',
          message: expect.stringMatching(/httpSseServers\["events"\]\.sseReplayBufferBytes/),
        }),
      );
    }
  });
});
