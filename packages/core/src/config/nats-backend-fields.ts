import { bytes, integer, milliseconds, type ConfigField } from './fields.js';
import { natsConnectionFields } from './nats-fields.js';
import type { NatsBackendConfig } from './types.js';

type NatsBackendKey = Exclude<keyof NatsBackendConfig & string, 'type'>;

/** Required: an edge must know which account's subjects it reads; there is no sensible default. */
function accountId(): ConfigField {
  const { defaultValue: _none, ...field } = integer(0, { min: 1 });
  return { ...field, expected: "the account's QQ number (an integer >= 1)", required: 'always' };
}

/** `gateway.backend` of type "nats": an edge gateway reading one account from NATS JetStream. */
export const natsBackendFields: { readonly [P in NatsBackendKey]-?: ConfigField } = {
  ...natsConnectionFields(),
  selfId: accountId(),
  actionTimeout: milliseconds(30_000, 1),
  maxPayload: bytes(16 * 1024 * 1024),
};
