import { resolveAdapterConfig, type HttpSseServerConfig, type PartialAdapterConfig } from '@onebot-gateway/core';
import { resolveMaxBufferedBytes } from '@onebot-gateway/http-server';

/**
 * An `httpSseServers` entry. `maxBufferedBytes` is this package's extra key
 * (not in NapCat): unsent bytes after which a slow stream is closed.
 */
export interface SseServerConfig extends HttpSseServerConfig {
  maxBufferedBytes: number;
}

/** A partial entry (NapCat strings accepted) with every default filled in. */
export function resolveSseServerConfig(partial: PartialAdapterConfig<'httpSseServers'> = {}): SseServerConfig {
  const resolved = resolveAdapterConfig('httpSseServers', partial);
  return { ...resolved, maxBufferedBytes: resolveMaxBufferedBytes(resolved.maxBufferedBytes, `httpSseServers["${resolved.name}"]`) };
}

export const sseServerDefaults: Readonly<SseServerConfig> = Object.freeze(resolveSseServerConfig({}));
