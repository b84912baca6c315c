import type { JsonSchema } from '../config/fields.js';
import type { ParamSchema, ParamSpec } from '../router/param-schema.js';
import { standardActionSchemas } from '../router/action-schemas.js';
import { actionDescriptions } from './action-descriptions.js';
import { actionTypeSchemas } from './action-types.generated.js';

/** One action as data: what it does, what it takes, what it answers in `data`. */
export interface ActionJsonSchema {
  description: string;
  params: JsonSchema;
  result: JsonSchema;
}

const paramTypes: { readonly [T in ParamSpec['type']]: JsonSchema } = {
  integer: { type: 'integer' },
  number: { type: 'number' },
  string: { type: 'string' },
  boolean: { type: 'boolean' },
  message: {
    description: 'A CQ string, one segment or an array of segments.',
    anyOf: [{ type: 'string' }, { type: 'object' }, { type: 'array' }],
  },
  object: { type: 'object' },
  array: { type: 'array' },
  any: {},
};

/**
 * The params schema of one action: the router's table (types, required,
 * defaults: what coercion really does) with the descriptions and finer
 * shapes (segments, enums) of `src/types/actions.ts`.
 */
function paramsSchema(table: ParamSchema, declared: JsonSchema | undefined): JsonSchema {
  const declaredProperties = (declared?.['properties'] ?? {}) as Record<string, JsonSchema>;
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [name, spec] of Object.entries(table)) {
    const declaredParam = declaredProperties[name] ?? {};
    const shape =
      spec.type === 'message' || spec.type === 'any' || spec.type === 'object'
        ? { ...paramTypes[spec.type], ...declaredParam }
        : { ...declaredParam, ...paramTypes[spec.type] };
    properties[name] = { ...shape, ...(spec.default === undefined ? {} : { default: spec.default }) };
    if (spec.required === true) required.push(name);
  }
  return { type: 'object', properties, ...(required.length === 0 ? {} : { required }) };
}

/**
 * Every standard OneBot 11 action and common extension the router knows,
 * sorted by name. Numeric ids also accept numeric strings and booleans
 * "yes"/"no"/1/0 on the wire (protocol.md section 3); the schema shows the
 * typed form a client should send.
 */
export function buildActionSchemas(): Record<string, ActionJsonSchema> {
  const result: Record<string, ActionJsonSchema> = {};
  for (const name of Object.keys(standardActionSchemas).sort()) {
    const declared = actionTypeSchemas[name];
    result[name] = {
      description: actionDescriptions[name as keyof typeof actionDescriptions],
      params: paramsSchema(standardActionSchemas[name] ?? {}, declared?.params),
      result: declared?.result ?? {},
    };
  }
  return result;
}
