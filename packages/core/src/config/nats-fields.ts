import { invalidValue, text, textList, type ConfigField } from './fields.js';

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
    coerce: (value) => {
      const coerced = base.coerce(value);
      if (typeof coerced !== 'string') return invalidValue;
      const tokens = coerced.trim().split('.');
      return tokens.every((token) => subjectToken.test(token)) ? coerced.trim() : invalidValue;
    },
  };
}

/** A JetStream stream name such as "ONEBOT_EVENTS": no spaces, ".", "*", ">", "/" or "\". */
export function natsStreamName(defaultValue: string): ConfigField {
  const base = text(defaultValue);
  return {
    ...base,
    expected: 'a JetStream stream name like "ONEBOT_EVENTS" (no spaces, ".", "*", ">", "/" or "\\")',
    coerce: (value) => {
      const coerced = base.coerce(value);
      return typeof coerced === 'string' && streamNameText.test(coerced.trim())
        ? coerced.trim()
        : invalidValue;
    },
  };
}

/** Keys of a NATS connection, shared by `natsBridges` entries and `gateway.backend` of type "nats". */
export function natsConnectionFields() {
  return {
    servers: textList(['nats://127.0.0.1:4222']),
    token: text(''),
    user: text(''),
    pass: text(''),
    subjectPrefix: natsSubjectPrefix('onebot.v11'),
    stream: natsStreamName('ONEBOT_EVENTS'),
  };
}
