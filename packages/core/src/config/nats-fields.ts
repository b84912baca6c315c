import { describe, invalidValue, text, textList, type ConfigField } from './fields.js';
import { secret } from './secret-field.js';

/**
 * Field kinds only distributed mode (NATS JetStream) needs. NATS refuses a
 * subject or stream name with these characters at publish time, far from the
 * config line; checking them at load names the key instead.
 */

// A subject token may not be empty or hold whitespace, and "*" / ">" are wildcards.
const subjectToken = /^[^\s.*>]+$/;
// Stream names also may not hold "." (nor path separators: the file store uses them as folder names).
const streamNameText = /^[^\s.*>/\\]+$/;

/** A subject prefix such as "onebot.v11": dot-separated tokens without wildcards or whitespace. */
export function natsSubjectPrefix(defaultValue: string): ConfigField {
  const base = text(defaultValue);
  return {
    ...base,
    expected: 'a NATS subject prefix like "onebot.v11" (dot-separated words, no spaces, "*" or ">")',
    jsonSchema: { type: 'string', pattern: '^\\s*[^\\s.*>]+(\\.[^\\s.*>]+)*\\s*$' },
    // Text only: a number is no subject (and the schema says "string").
    coerce: (value) => {
      if (typeof value !== 'string') return invalidValue;
      const tokens = value.trim().split('.');
      return tokens.every((token) => subjectToken.test(token)) ? value.trim() : invalidValue;
    },
  };
}

/** A JetStream stream name such as "ONEBOT_EVENTS": no spaces, ".", "*", ">", "/" or "\". */
export function natsStreamName(defaultValue: string): ConfigField {
  const base = text(defaultValue);
  return {
    ...base,
    expected: 'a JetStream stream name like "ONEBOT_EVENTS" (no spaces, ".", "*", ">", "/" or "\\")',
    jsonSchema: { type: 'string', pattern: '^\\s*[^\\s.*>/\\\\]+\\s*$' },
    coerce: (value) =>
      typeof value === 'string' && streamNameText.test(value.trim()) ? value.trim() : invalidValue,
  };
}

/** Keys of a NATS connection, shared by `natsBridges` entries and `gateway.backend` of type "nats". */
export function natsConnectionFields() {
  return {
    servers: describe(
      textList(['nats://127.0.0.1:4222']),
      'NATS server URLs (nats://host:4222); several = a cluster, the client fails over.',
    ),
    token: secret('NATS auth token; "" = none.'),
    user: describe(text(''), 'NATS user name (with pass); "" = none.'),
    pass: secret('NATS password of user; "" = none.'),
    subjectPrefix: describe(
      natsSubjectPrefix('onebot.v11'),
      'First subject tokens: <prefix>.<self_id>.event.* and <prefix>.<self_id>.action.',
    ),
    stream: describe(natsStreamName('ONEBOT_EVENTS'), 'The JetStream stream that keeps the events.'),
  };
}
