import { describe, milliseconds, type ConfigField } from '@onebot-gateway/core/internal';

/**
 * The keys of a `websocketClients` entry this package reads besides core's
 * (not in NapCat). The gateway validates them with the rest of the file and
 * puts them in its JSON Schema; `resolveWsClientConfig` applies them too.
 */
export const wsClientConfigFields: { readonly [key: string]: ConfigField } = {
  handshakeTimeout: describe(
    milliseconds(10_000, 1),
    'Milliseconds to wait for the server to finish the WebSocket upgrade before trying again.',
  ),
};
