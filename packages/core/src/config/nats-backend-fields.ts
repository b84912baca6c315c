import { bytes, describe, integer, milliseconds, type ConfigField } from './fields.js';
import { natsConnectionFields } from './nats-fields.js';
import type { NatsBackendConfig } from './types.js';

type NatsBackendKey = Exclude<keyof NatsBackendConfig & string, 'type'>;

/** Required: an edge must know which account's subjects it reads; there is no sensible default. */
function accountId(): ConfigField {
  return {
    ...describe(integer(undefined, { min: 1 }), "The account this edge serves: the origin's self_id."),
    expected: "the account's QQ number (an integer >= 1)",
    required: 'always',
  };
}

/** `gateway.backend` of type "nats": an edge gateway reading one account from NATS JetStream. */
export const natsBackendFields: { readonly [P in NatsBackendKey]-?: ConfigField } = {
  ...natsConnectionFields(),
  selfId: accountId(),
  actionTimeout: describe(milliseconds(30_000, 1), "Milliseconds an action waits for the origin's answer."),
  maxPayload: describe(
    bytes(16 * 1024 * 1024),
    'Largest event or answer accepted from NATS, in bytes; bigger events are dropped and counted.',
  ),
};
