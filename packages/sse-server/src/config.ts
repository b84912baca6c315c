import type { HttpSseServerConfig } from '@onebot-gateway/core';
import { httpServerDefaults, withDefaults } from '@onebot-gateway/http-server';

/**
 * An `httpSseServers` entry. `maxBufferedBytes` is this package's extra key
 * (not in NapCat): unsent bytes after which a slow stream is closed.
 */
export interface SseServerConfig extends HttpSseServerConfig {
  maxBufferedBytes: number;
}

export const sseServerDefaults: SseServerConfig = {
  ...httpServerDefaults,
  name: 'http-sse-server',
  sseReplayBufferSize: 1000,
  ssePingInterval: 15_000,
  maxBufferedBytes: 16 * 1024 * 1024,
};

/** Fill the defaults of a partial entry (programmatic use; the gateway passes resolved entries). */
export function resolveSseServerConfig(partial: Partial<SseServerConfig> = {}): SseServerConfig {
  return withDefaults(sseServerDefaults, partial);
}
