import { resolveAdapterConfig, type HttpServerConfig, type PartialAdapterConfig } from '@onebot-gateway/core';
import { httpServerConfigFields } from './config-fields.js';

/**
 * An `httpServers` entry as this package reads it. `maxBufferedBytes` is this
 * package's own key (config-fields.ts; not in NapCat): unsent bytes after
 * which a slow WebSocket or SSE client is cut.
 */
export interface HttpServerEntry extends HttpServerConfig {
  maxBufferedBytes: number;
}

export const DEFAULT_MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

/**
 * A partial entry (NapCat strings accepted) with every default filled in,
 * through core's `resolveAdapterConfig`, this package's own key included.
 */
export function resolveHttpServerConfig(partial: PartialAdapterConfig<'httpServers'> = {}): HttpServerEntry {
  return resolveAdapterConfig('httpServers', partial, {
    extraFields: httpServerConfigFields,
  }) as HttpServerEntry;
}

/** Every default of an entry, for documentation and tests. */
export const httpServerDefaults: Readonly<HttpServerEntry> = Object.freeze(resolveHttpServerConfig({}));
