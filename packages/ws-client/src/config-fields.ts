import { describe, flag, milliseconds, text, type ConfigField } from '@onebot-gateway/core/internal';

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
  // Distributed mode: only on an edge (gateway.backend.type "nats"); elsewhere the adapter refuses to start.
  durable: describe(
    flag(false),
    "On a NATS edge: read events from a JetStream durable consumer, acknowledged once the server's pong confirmed the write; an edge restarted after a kill resumes where it stood.",
  ),
  durableName: describe(
    text(''),
    'The durable consumer\'s name; "" = "onebot-<name>". One running process per name.',
  ),
};
