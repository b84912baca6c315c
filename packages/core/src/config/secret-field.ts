import { describe, text, type ConfigField } from './fields.js';

/**
 * A token or password: a string defaulting to "" and marked `writeOnly` in
 * the JSON Schema, the standard word for "sent but never shown back", which
 * the admin API's masking and the dashboard's masked inputs follow.
 */
export function secret(description: string): ConfigField {
  const field = describe(text(''), description);
  return { ...field, jsonSchema: { ...field.jsonSchema, writeOnly: true } };
}
