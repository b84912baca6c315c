import { bytes, count, describe, type ConfigField } from '@onebot-gateway/core/internal';

/**
 * The keys of an `httpSseServers` entry this package reads besides core's
 * (not in NapCat). The gateway validates them with the rest of the file and
 * puts them in its JSON Schema; `resolveSseServerConfig` applies them too.
 */
export const sseServerConfigFields: { readonly [key: string]: ConfigField } = {
  maxBufferedBytes: describe(
    bytes(16 * 1024 * 1024),
    'Unsent bytes after which a slow event stream (or WebSocket client) is closed.',
  ),
  sseReplayBufferBytes: describe(
    count(4 * 1024 * 1024, 0),
    'Byte cap of the Last-Event-ID replay buffer (oldest events dropped first); at most half of maxBufferedBytes.',
  ),
};
