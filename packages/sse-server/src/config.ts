import {
  OneBotError,
  resolveAdapterConfig,
  type HttpSseServerConfig,
  type PartialAdapterConfig,
} from '@onebot-gateway/core';
import { resolveMaxBufferedBytes } from '@onebot-gateway/http-server';

/**
 * An `httpSseServers` entry. This package's extra keys (not in NapCat):
 * `maxBufferedBytes`, unsent bytes after which a slow stream is closed, and
 * `sseReplayBufferBytes`, the byte cap of the `Last-Event-ID` replay buffer.
 */
export interface SseServerConfig extends HttpSseServerConfig {
  maxBufferedBytes: number;
  sseReplayBufferBytes: number;
}

export const DEFAULT_REPLAY_BUFFER_BYTES = 4 * 1024 * 1024;

/**
 * The replay buffer's byte cap: a non-negative integer (NapCat-style numeric
 * strings accepted), never more than half of `maxBufferedBytes`. A replay is
 * written all at once; if it could pass the stream's bound, the stream would
 * be cut on every reconnect and the client (same Last-Event-ID each time)
 * would never get past it. Half leaves room for what goes live meanwhile.
 */
export function resolveReplayBufferBytes(
  value: unknown,
  maxBufferedBytes: number,
  entryName: string,
): number {
  const ceiling = Math.floor(maxBufferedBytes / 2);
  if (value === undefined || value === null || value === '')
    return Math.min(DEFAULT_REPLAY_BUFFER_BYTES, ceiling);
  const number = typeof value === 'string' ? Number(value.trim()) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 0) {
    throw new OneBotError(
      'CONFIG_INVALID',
      `${entryName}.sseReplayBufferBytes: expected a non-negative integer of bytes, got ${JSON.stringify(value)}`,
    );
  }
  return Math.min(number, ceiling);
}

/** A partial entry (NapCat strings accepted) with every default filled in. */
export function resolveSseServerConfig(
  partial: PartialAdapterConfig<'httpSseServers'> = {},
): SseServerConfig {
  const resolved = resolveAdapterConfig('httpSseServers', partial);
  const entryName = `httpSseServers["${resolved.name}"]`;
  const maxBufferedBytes = resolveMaxBufferedBytes(resolved.maxBufferedBytes, entryName);
  return {
    ...resolved,
    maxBufferedBytes,
    sseReplayBufferBytes: resolveReplayBufferBytes(
      resolved.sseReplayBufferBytes,
      maxBufferedBytes,
      entryName,
    ),
  };
}

export const sseServerDefaults: Readonly<SseServerConfig> = Object.freeze(resolveSseServerConfig({}));
