/** The slice of JSON Schema (draft-07) the forms read. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  writeOnly?: boolean;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  $ref?: string;
  definitions?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
}

export interface ApiSchema {
  config: JsonSchema;
  actions: Record<string, { description?: string; params?: JsonSchema; result?: JsonSchema }>;
}

/** `#/definitions/x` inside `root`; anything else as it is. */
export function resolve(schema: JsonSchema, root: JsonSchema | undefined): JsonSchema {
  const ref = schema.$ref;
  if (!ref || !root || !ref.startsWith('#/definitions/')) return schema;
  return root.definitions?.[ref.slice('#/definitions/'.length)] ?? schema;
}

/**
 * The types a field may have (`oneOf`/`anyOf` branches included), without
 * `null`: the gateway's schema allows null for "use the default", which a
 * form says by leaving the key out.
 */
export function typesOf(schema: JsonSchema): string[] {
  const own = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  const branches = [...(schema.oneOf ?? []), ...(schema.anyOf ?? [])].flatMap(typesOf);
  return [...new Set([...own, ...branches])].filter((type) => type !== 'null');
}

export type FieldKind = 'boolean' | 'enum' | 'integer' | 'number' | 'string' | 'object' | 'json';

const ownTypes = (schema: JsonSchema) =>
  (schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type]).filter(
    (type) => type !== 'null',
  );
const branchesOf = (schema: JsonSchema) => [schema, ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])];
/** `{type: "string", pattern: "^...\d+...$"}`: the gateway's "the number as text" alternative. */
const isNumberAsText = (branch: JsonSchema & { pattern?: string }) =>
  ownTypes(branch).join() === 'string' &&
  typeof branch.pattern === 'string' &&
  branch.pattern.includes('\\d');

/** The branch that says what number a field takes (its type and range), when it takes one. */
export function numericBranch(schema: JsonSchema): JsonSchema | undefined {
  return branchesOf(schema).find((branch) =>
    ownTypes(branch).some((type) => type === 'integer' || type === 'number'),
  );
}

/**
 * Which control a field gets. The gateway's schema accepts what NapCat's files hold (a number as
 * text, a boolean as "true"/1), so a field with a numeric branch whose only string branch is the
 * number as text is a number input, and any boolean branch makes a switch.
 */
export function fieldKindOf(schema: JsonSchema): FieldKind {
  const types = typesOf(schema);
  if (types.includes('boolean')) return 'boolean';
  if (schema.enum) return 'enum';
  if (types.length === 1 && types[0] === 'object' && schema.properties) return 'object';
  const numeric = numericBranch(schema);
  const textBranches = branchesOf(schema).filter((branch) => ownTypes(branch).includes('string'));
  if (numeric && textBranches.every(isNumberAsText)) {
    return ownTypes(numeric).includes('number') ? 'number' : 'integer';
  }
  if (
    types.includes('string') &&
    types.every((type) => type === 'string' || type === 'number' || type === 'integer')
  )
    return 'string';
  return 'json';
}

/** A boolean as the config parser reads it: true, or the strings "true"/"1". */
export function isTruthy(value: unknown): boolean {
  return value === true || (typeof value === 'string' && /^\s*(true|1)\s*$/i.test(value));
}

/** An object with every property's default, for a new entry of a kind. */
export function defaultsOf(schema: JsonSchema, root: JsonSchema | undefined): Record<string, unknown> {
  const resolved = resolve(schema, root);
  const out: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(resolved.properties ?? {})) {
    const field = resolve(property, root);
    if (field.default !== undefined) out[key] = structuredClone(field.default);
    else if (typesOf(field).includes('object') && field.properties) out[key] = defaultsOf(field, root);
  }
  return out;
}

/** Problems the browser can see before the server does: required keys, types, ranges, enums. */
export function validate(
  schema: JsonSchema,
  value: unknown,
  path: string,
  root: JsonSchema | undefined,
): Record<string, string> {
  const field = resolve(schema, root);
  const problems: Record<string, string> = {};
  const types = typesOf(field);
  if (value === undefined) return problems;
  if (
    types.includes('object') &&
    field.properties &&
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value)
  ) {
    const record = value as Record<string, unknown>;
    for (const key of field.required ?? [])
      if (record[key] === undefined || record[key] === '') problems[join(path, key)] = 'required';
    for (const [key, property] of Object.entries(field.properties))
      Object.assign(problems, validate(property, record[key], join(path, key), root));
    return problems;
  }
  if (typeof value === 'number') {
    const range = numericBranch(field) ?? field;
    if (types.length && !types.includes('number') && !types.includes('integer'))
      problems[path] = `expected ${types.join(' or ')}`;
    else if (types.includes('integer') && !types.includes('number') && !Number.isInteger(value))
      problems[path] = 'expected an integer';
    else if (range.minimum !== undefined && value < range.minimum)
      problems[path] = `at least ${range.minimum}`;
    else if (range.maximum !== undefined && value > range.maximum)
      problems[path] = `at most ${range.maximum}`;
  }
  if (field.enum && !field.enum.some((allowed) => allowed === value))
    problems[path] = `one of ${field.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  return problems;
}

export const join = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);
