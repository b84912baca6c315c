import { invalidValue, isPlainObject, type ConfigField } from './fields.js';

// Field kinds whose value is an object or an array (fields.ts has the scalar ones).

export function record(): ConfigField {
  return {
    expected: 'an object',
    jsonSchema: { type: 'object' },
    defaultValue: () => ({}),
    coerce: (value) => (isPlainObject(value) ? value : invalidValue),
  };
}

/** A path to a file: relative to the config file's folder, or absolute. Read by whoever uses it, not at load. */
export function filePath(required?: ConfigField['required']): ConfigField {
  return {
    expected: 'a file path',
    jsonSchema: { type: 'string', ...(required === undefined ? {} : { pattern: '\\S' }) },
    ...(required === undefined ? {} : { required }),
    coerce: (value) => (typeof value === 'string' ? value.trim() : invalidValue),
  };
}

/**
 * A `tls` block of a listener: `{cert, key, ca?}` PEM file paths. Absent
 * means plain HTTP; there is no default. The files are read when the
 * listener starts (and on reload / SIGHUP), so loading a config stays free
 * of I/O and a bad file fails only that listener.
 */
export function serverTlsFiles(): ConfigField {
  return {
    expected: 'an object like {"cert": "cert.pem", "key": "key.pem"}',
    jsonSchema: { type: 'object' },
    coerce: (value) => (isPlainObject(value) ? value : invalidValue),
    fields: { cert: filePath('always'), key: filePath('always'), ca: filePath() },
  };
}

/** A `tls` block of a client: `{ca}`, the PEM file of the CA(s) to trust besides the system ones. */
export function clientTlsFiles(): ConfigField {
  return {
    expected: 'an object like {"ca": "ca.pem"}',
    jsonSchema: { type: 'object' },
    coerce: (value) => (isPlainObject(value) ? value : invalidValue),
    fields: { ca: filePath('always') },
  };
}

/**
 * An array of objects, each resolved with `itemFields` and reported under
 * `key[i].field`. Without a default an absent list stays absent.
 */
export function list(
  itemFields: { readonly [key: string]: ConfigField },
  defaultValue?: () => unknown[],
): ConfigField {
  return {
    expected: 'an array',
    jsonSchema: { type: 'array' },
    ...(defaultValue === undefined ? {} : { defaultValue }),
    items: itemFields,
    coerce: (value) => (Array.isArray(value) ? value : invalidValue),
  };
}
