import { OneBotError } from '../errors.js';
import { readBoolean } from './boolean-words.js';
import { isPlainObject } from '../config/fields.js';

/**
 * Parameter schemas: how the router coerces what clients send into what
 * handlers expect. Clients are sloppy in known ways (ids as strings, booleans
 * as "yes"), and the spec wants those accepted.
 */
export type ParamType = 'integer' | 'number' | 'string' | 'boolean' | 'message' | 'object' | 'array' | 'any';

export interface ParamSpec {
  type: ParamType;
  required?: boolean;
  default?: unknown;
}

export type ParamSchema = Record<string, ParamSpec>;

const integerText = /^[+-]?\d+$/;
const numberText = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function describe(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : String(value);
}

function invalid(name: string, expected: string, value: unknown): OneBotError {
  return new OneBotError('BAD_REQUEST', `param "${name}" must be ${expected}, got ${describe(value)}`, {
    details: { param: name },
  });
}

function coerceOne(name: string, spec: ParamSpec, value: unknown): unknown {
  switch (spec.type) {
    case 'integer': {
      if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
      if (typeof value === 'string' && integerText.test(value.trim())) {
        const parsed = Number(value.trim());
        if (Number.isSafeInteger(parsed)) return parsed;
      }
      throw invalid(name, 'an integer', value);
    }
    case 'number': {
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      if (typeof value === 'string' && numberText.test(value.trim())) return Number(value.trim());
      throw invalid(name, 'a number', value);
    }
    case 'string': {
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'bigint') return String(value);
      throw invalid(name, 'a string', value);
    }
    case 'boolean': {
      const flag = readBoolean(value);
      if (flag !== undefined) return flag;
      throw invalid(name, 'a boolean (true/false, 1/0, yes/no)', value);
    }
    case 'message': {
      if (typeof value === 'string' || isPlainObject(value) || Array.isArray(value)) return value;
      if (typeof value === 'number') return String(value);
      throw invalid(name, 'a message (CQ string, segment or segment array)', value);
    }
    case 'object': {
      if (isPlainObject(value)) return value;
      throw invalid(name, 'an object', value);
    }
    case 'array': {
      if (Array.isArray(value)) return value;
      throw invalid(name, 'an array', value);
    }
    case 'any':
      return value;
  }
}

/**
 * Null counts as absent, and so does an empty string for a numeric param:
 * form posts and query strings send `group_id=` for "not given".
 */
function isAbsent(value: unknown, spec: ParamSpec): boolean {
  if (value === undefined || value === null) return true;
  return value === '' && (spec.type === 'integer' || spec.type === 'number');
}

/**
 * Coerce `params` by `schema`. Returns a new object: known keys coerced,
 * defaults filled, unknown keys kept as they were (clients spread whole events
 * into params; extensions read their own keys).
 */
export function coerceParams(params: Record<string, unknown>, schema: ParamSchema): Record<string, unknown> {
  const result: Record<string, unknown> = { ...params };
  for (const [name, spec] of Object.entries(schema)) {
    const value = params[name];
    if (isAbsent(value, spec)) {
      if (spec.default !== undefined) {
        result[name] = spec.default;
      } else if (spec.required) {
        throw new OneBotError('BAD_REQUEST', `param "${name}" is required (${spec.type})`, {
          details: { param: name },
        });
      } else {
        delete result[name];
      }
      continue;
    }
    result[name] = coerceOne(name, spec, value);
  }
  return result;
}
