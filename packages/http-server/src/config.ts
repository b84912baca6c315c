import {
  OneBotError,
  resolveAdapterConfig,
  type HttpServerConfig,
  type PartialAdapterConfig,
} from '@onebot-gateway/core';

/**
 * An `httpServers` entry as this package reads it. `maxBufferedBytes` is an
 * extra key (not in NapCat, not in core's schema): unsent bytes after which a
 * slow WebSocket or SSE client is cut.
 */
export interface HttpServerEntry extends HttpServerConfig {
  maxBufferedBytes: number;
}

export const DEFAULT_MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

/** The extra `maxBufferedBytes` key: a positive integer, NapCat-style numeric strings accepted. */
export function resolveMaxBufferedBytes(value: unknown, entryName: string): number {
  if (value === undefined || value === null || value === '') return DEFAULT_MAX_BUFFERED_BYTES;
  const number = typeof value === 'string' ? Number(value.trim()) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 1) {
    throw new OneBotError(
      'CONFIG_INVALID',
      `${entryName}.maxBufferedBytes: expected a positive integer of bytes, got ${JSON.stringify(value)}`,
    );
  }
  return number;
}

/**
 * A partial entry (NapCat strings accepted) with every default filled in,
 * through core's `resolveAdapterConfig`, plus this package's extra key.
 */
export function resolveHttpServerConfig(partial: PartialAdapterConfig<'httpServers'> = {}): HttpServerEntry {
  const resolved = resolveAdapterConfig('httpServers', partial);
  return {
    ...resolved,
    maxBufferedBytes: resolveMaxBufferedBytes(resolved.maxBufferedBytes, `httpServers["${resolved.name}"]`),
  };
}

/** Every default of an entry, for documentation and tests. */
export const httpServerDefaults: Readonly<HttpServerEntry> = Object.freeze(resolveHttpServerConfig({}));
