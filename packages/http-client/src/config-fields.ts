import { describe, milliseconds, type ConfigField } from '@onebot-gateway/core/internal';

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
};
