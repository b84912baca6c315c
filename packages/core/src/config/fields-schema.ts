import { orNull, type ConfigField, type JsonSchema } from './fields.js';

/**
 * JSON Schema (draft-07) of a table of fields: what editors, the dashboard
 * and `onebot-gateway schema` see. The parser stays the authority (it also
 * knows cross-entry rules such as unique names and free ports, and a few
 * sloppier spellings); config-schema.test.ts proves the two agree with ajv.
 */
export function configFieldsSchema(fields: { readonly [key: string]: ConfigField }): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  const requiredWhenEnabled: string[] = [];
  for (const [key, field] of Object.entries(fields)) {
    properties[key] = fieldSchema(field);
    if (field.required === 'always') required.push(key);
    if (field.required === 'whenEnabled') requiredWhenEnabled.push(key);
  }
  return {
    type: 'object',
    properties,
    ...(required.length === 0 ? {} : { required }),
    ...(requiredWhenEnabled.length === 0 ? {} : whenEnabled(requiredWhenEnabled)),
  };
}

/** "" (or only blanks) is refused where a value is required. */
const notBlank: JsonSchema = { pattern: '\\S' };

function fieldSchema(field: ConfigField): JsonSchema {
  let schema: JsonSchema = field.jsonSchema;
  if (field.fields !== undefined) schema = { ...schema, ...configFieldsSchema(field.fields) };
  if (field.items !== undefined) schema = { ...schema, items: configFieldsSchema(field.items) };
  if (field.required === 'always' && schema['pattern'] !== notBlank['pattern']) {
    schema =
      schema['type'] === 'string' && schema['pattern'] === undefined
        ? { ...schema, ...notBlank }
        : { allOf: [schema, { type: 'string', ...notBlank }] };
  }
  // null reads as "absent": the default, or nothing when there is none (but a required key must be given).
  if (field.required !== 'always') schema = orNull(schema);
  const defaultValue = field.defaultValue?.();
  return {
    ...(field.description === undefined ? {} : { description: field.description }),
    ...schema,
    ...(defaultValue === undefined ? {} : { default: defaultValue }),
  };
}

/** Every spelling of `"enable": true` the parser reads. */
const enabledValue: JsonSchema = {
  anyOf: [{ const: true }, { const: 1 }, { type: 'string', pattern: '^\\s*([Tt][Rr][Uu][Ee]|1)\\s*$' }],
};

/** An enabled entry (`"enable": true`) must fill these keys; a disabled one may leave them empty. */
function whenEnabled(keys: readonly string[]): JsonSchema {
  return {
    if: { properties: { enable: enabledValue }, required: ['enable'] },
    then: {
      properties: Object.fromEntries(keys.map((key) => [key, { type: ['string', 'null'], ...notBlank }])),
    },
  };
}
