import { describe, flag, milliseconds, text, type ConfigField } from '@onebot-gateway/core/internal';

/**
 * The keys of an `httpClients` entry this package reads besides core's (not
 * in NapCat). The gateway validates them with the rest of the file and puts
 * them in its JSON Schema; `resolveHttpClientConfig` applies them too.
 */
export const httpClientConfigFields: { readonly [key: string]: ConfigField } = {
  stopTimeout: describe(
    milliseconds(2000),
    'Milliseconds the whole stop may take: draining queued events, aborting the rest, the disable post.',
  ),
  // Distributed mode: only on an edge (gateway.backend.type "nats"); elsewhere the adapter refuses to start.
  durable: describe(
    flag(false),
    'On a NATS edge: read events from a JetStream durable consumer, acknowledged after each 2xx (or after its retries are spent and the drop is logged); an edge restarted after a kill resumes where it stood.',
  ),
  durableName: describe(
    text(''),
    'The durable consumer\'s name; "" = "onebot-<name>". One running process per name.',
  ),
};
