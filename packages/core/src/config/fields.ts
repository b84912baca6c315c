import { readConfigBoolean } from '../router/boolean-words.js';

/**
 * Field kinds of the configuration schema: each one knows what it accepts,
 * how it coerces NapCat-style sloppy values ("3001", "true") and how to say
 * what it expected when it can't. The schema tables are built from these.
 */
export interface ConfigField {
  /** Completes "expected ..." in an error message. */
  readonly expected: string;
  /**
   * What the key accepts as standard JSON Schema (draft-07), for editors, the
   * dashboard and `onebot-gateway schema`: the values `coerce` accepts, the
   * NapCat-style text forms ("3001", "true") included, as a validator without
   * type coercion (VS Code's) checks them; a numeric text's range is left to
   * the parser. `configFieldsSchema` adds the default, the description, and
   * `null` where it means "the default".
   */
  readonly jsonSchema: JsonSchema;
  /** One or two sentences for a person: what it does, units, what 0 or "" means. */
  readonly description?: string;
  /** Value used when the key is absent or null; no default means the key stays absent. */
  readonly defaultValue?: () => unknown;
  /** `always`: absent or "" is an error; `whenEnabled`: "" is an error in an enabled entry. */
  readonly required?: 'always' | 'whenEnabled';
  /** The coerced value, or `invalidValue` when the input can't be accepted. */
  coerce(value: unknown): unknown;
  /** An object of fields: each is resolved (and reported) under this key's path, e.g. `tls.cert`. */
  readonly fields?: { readonly [key: string]: ConfigField };
  /** An array of objects: each item is resolved with these fields under `key[i]`. */
  readonly items?: { readonly [key: string]: ConfigField };
  /** Why `coerce` refused a value, when "expected ..., got ..." would not say it (a filter's bad operator). */
  explain?(value: unknown): string | undefined;
}

/** A JSON Schema (draft-07) document or sub-schema: plain JSON data. */
export interface JsonSchema {
  [keyword: string]: unknown;
}

/** The same field with a description for people (schema, README tables, dashboard forms). */
export function describe(field: ConfigField, description: string): ConfigField {
  return { ...field, description };
}

/** `schema` or JSON null: a null value means "use the default" to the parser. */
export function orNull(schema: JsonSchema): JsonSchema {
  if (Array.isArray(schema['enum']))
    return { ...schema, type: [schema['type'], 'null'], enum: [...schema['enum'], null] };
  if (typeof schema['type'] === 'string') return { ...schema, type: [schema['type'], 'null'] };
  if (Array.isArray(schema['type'])) return { ...schema, type: [...schema['type'], 'null'] };
  if (Array.isArray(schema['anyOf'])) return { ...schema, anyOf: [...schema['anyOf'], { type: 'null' }] };
  return { anyOf: [schema, { type: 'null' }] };
}

export const invalidValue: unique symbol = Symbol('invalid config value');

const integerText = /^[+-]?\d+$/;
/** Longest delay a Node.js timer accepts. */
export const MAX_TIMER_MS = 2_147_483_647;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function text(defaultValue?: string): ConfigField {
  return {
    expected: 'a string',
    // Numbers are read as their text (numeric tokens are common).
    jsonSchema: { type: ['string', 'number'] },
    ...(defaultValue === undefined ? {} : { defaultValue: () => defaultValue }),
    coerce: (value) => {
      if (typeof value === 'string') return value;
      // ajv's coerceTypes in NapCat turns numbers into strings (numeric tokens are common).
      if (typeof value === 'number' && Number.isFinite(value)) return String(value);
      return invalidValue;
    },
  };
}

export function nonEmptyText(defaultValue: string): ConfigField {
  const base = text(defaultValue);
  return {
    ...base,
    expected: 'a non-empty string',
    jsonSchema: { anyOf: [{ type: 'string', pattern: '\\S' }, { type: 'number' }] },
    coerce: (value) => {
      const coerced = base.coerce(value);
      return typeof coerced === 'string' && coerced.trim() !== '' ? coerced : invalidValue;
    },
  };
}

export function flag(defaultValue: boolean): ConfigField {
  return {
    expected: 'true or false',
    // The text forms are what env-style files hold ("1", "TRUE"); the parser reads them too.
    jsonSchema: {
      anyOf: [
        { type: 'boolean' },
        { enum: [0, 1] },
        { type: 'string', pattern: '^\\s*([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|1|0)\\s*$' },
      ],
    },
    defaultValue: () => defaultValue,
    coerce: (value) => readConfigBoolean(value) ?? invalidValue,
  };
}

export interface IntegerRange {
  min: number;
  max?: number;
  /** Shown after the range, e.g. "milliseconds". */
  unit?: string;
}

/** An integer in `range`; without a default an absent key stays absent. */
export function integer(defaultValue: number | undefined, range: IntegerRange): ConfigField {
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  const span = range.max === undefined ? `>= ${range.min}` : `${range.min}-${range.max}`;
  return {
    expected: `an integer ${span}${range.unit === undefined ? '' : ` (${range.unit})`}`,
    jsonSchema: {
      anyOf: [
        { type: 'integer', minimum: range.min, ...(range.max === undefined ? {} : { maximum: range.max }) },
        { type: 'string', pattern: '^\\s*[+-]?\\d+\\s*$', description: 'the number as text' },
      ],
    },
    ...(defaultValue === undefined ? {} : { defaultValue: () => defaultValue }),
    coerce: (value) => {
      let candidate = value;
      if (typeof value === 'string' && integerText.test(value.trim())) candidate = Number(value.trim());
      if (typeof candidate !== 'number' || !Number.isSafeInteger(candidate)) return invalidValue;
      return candidate >= range.min && candidate <= max ? candidate : invalidValue;
    },
  };
}

/** A TCP port; 0 asks the OS for any free port (tests use it). */
export function port(defaultValue: number): ConfigField {
  return integer(defaultValue, { min: 0, max: 65_535 });
}

export function milliseconds(defaultValue: number, min = 0): ConfigField {
  return integer(defaultValue, { min, max: MAX_TIMER_MS, unit: 'milliseconds' });
}

export function bytes(defaultValue: number): ConfigField {
  return integer(defaultValue, { min: 1, unit: 'bytes' });
}

export function count(defaultValue: number, min: number): ConfigField {
  return integer(defaultValue, { min });
}

export function oneOf<T extends string>(defaultValue: T, values: readonly T[]): ConfigField {
  const quoted = values.map((value) => JSON.stringify(value));
  return {
    expected: values.length <= 2 ? quoted.join(' or ') : `one of ${quoted.join(', ')}`,
    jsonSchema: { type: 'string', enum: [...values] },
    defaultValue: () => defaultValue,
    coerce: (value) => {
      if (typeof value !== 'string') return invalidValue;
      const word = value.trim().toLowerCase();
      return values.find((allowed) => allowed === word) ?? invalidValue;
    },
  };
}

function describeSchemes(schemes: readonly string[]): string {
  const names = schemes.map((scheme) => `${scheme}//`);
  const article = schemes[0]?.startsWith('h') ? 'an' : 'a';
  return names.length === 1
    ? `${article} ${names[0]} URL`
    : `${article} ${names.slice(0, -1).join(', ')} or ${names.at(-1)} URL`;
}

/** A URL with one of the given schemes (e.g. "ws:"). "" passes here; `required` decides about it. */
export function url(
  defaultValue: string | undefined,
  schemes: readonly string[],
  required?: ConfigField['required'],
): ConfigField {
  const names = schemes.map((scheme) => scheme.slice(0, -1)).join('|');
  return {
    expected: describeSchemes(schemes),
    // Empty, or a scheme and something after it; `new URL` has the last word (a checker has no URL parser).
    jsonSchema: { type: 'string', pattern: `^\\s*$|^\\s*(${names})://\\S` },
    ...(defaultValue === undefined ? {} : { defaultValue: () => defaultValue }),
    ...(required === undefined ? {} : { required }),
    coerce: (value) => {
      if (typeof value !== 'string') return invalidValue;
      if (value.trim() === '') return '';
      try {
        return schemes.includes(new URL(value.trim()).protocol) ? value.trim() : invalidValue;
      } catch {
        return invalidValue;
      }
    },
  };
}

/**
 * A list of strings (origins, host names). A single string is read as a
 * comma-separated list, as environment-style values are often written.
 */
export function textList(defaultValue: readonly string[] = []): ConfigField {
  return {
    expected: 'an array of strings',
    jsonSchema: {
      anyOf: [
        { type: 'array', items: { type: ['string', 'number'] } },
        { type: 'string', description: 'a comma-separated list' },
        { type: 'number' },
      ],
    },
    defaultValue: () => [...defaultValue],
    coerce: (value) => {
      // A lone number reads as text, as text() reads it.
      const items =
        typeof value === 'string'
          ? value.split(',')
          : typeof value === 'number' && Number.isFinite(value)
            ? [String(value)]
            : value;
      if (!Array.isArray(items)) return invalidValue;
      const list: string[] = [];
      for (const item of items) {
        if (typeof item !== 'string' && !(typeof item === 'number' && Number.isFinite(item)))
          return invalidValue;
        const trimmed = String(item).trim();
        if (trimmed !== '') list.push(trimmed);
      }
      return list;
    },
  };
}

/** A QQ number (user, group or the bot's own): a positive safe integer; numeric strings pass, as NapCat does. */
export function qqNumber(defaultValue?: number): ConfigField {
  return { ...integer(defaultValue, { min: 1 }), expected: 'a positive integer (a QQ number)' };
}
