import {
  resolveAdapterConfig,
  type HttpSseServerConfig,
  type PartialAdapterConfig,
} from '@onebot-gateway/core';
import { sseServerConfigFields } from './config-fields.js';

/**
 * An `httpSseServers` entry. This package's extra keys (not in NapCat):
 * `maxBufferedBytes`, unsent bytes after which a slow stream is closed, and
 * `sseReplayBufferBytes`, the byte cap of the `Last-Event-ID` replay buffer.
 */
export interface SseServerConfig extends HttpSseServerConfig {
  maxBufferedBytes: number;
  sseReplayBufferBytes: number;
}

/**
 * A partial entry (NapCat strings accepted) with every default filled in,
 * this package's own keys (config-fields.ts) included. The replay buffer's
 * byte cap is then held to half of `maxBufferedBytes`: a replay is written
 * all at once; if it could pass the stream's bound, the stream would be cut
 * on every reconnect and the client (same Last-Event-ID each time) would
 * never get past it. Half leaves room for what goes live meanwhile.
 */
export function resolveSseServerConfig(
  partial: PartialAdapterConfig<'httpSseServers'> = {},
): SseServerConfig {
  const resolved = resolveAdapterConfig('httpSseServers', partial, {
    extraFields: sseServerConfigFields,
  }) as SseServerConfig;
  const ceiling = Math.floor(resolved.maxBufferedBytes / 2);
  return { ...resolved, sseReplayBufferBytes: Math.min(resolved.sseReplayBufferBytes, ceiling) };
}

export const sseServerDefaults: Readonly<SseServerConfig> = Object.freeze(resolveSseServerConfig({}));
