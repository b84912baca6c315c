import { bytes, describe, type ConfigField } from '@onebot-gateway/core/internal';

/**
 * The keys of an `httpServers` entry this package reads besides core's
 * (not in NapCat). The gateway validates them with the rest of the file and
 * puts them in its JSON Schema; `resolveHttpServerConfig` applies them too.
 */
export const httpServerConfigFields: { readonly [key: string]: ConfigField } = {
  maxBufferedBytes: describe(
    bytes(16 * 1024 * 1024),
    'Unsent bytes after which a slow WebSocket or SSE client is cut (1013 / stream closed).',
  ),
};
