import { OneBotError } from '@onebot-gateway/core';

/**
 * Reading action params defensively. The router coerces params by core's
 * schema catalogue first; these readers repeat the coercion so a handler is
 * still correct for an action the catalogue does not (yet) describe.
 */
type Params = Record<string, unknown>;

function badParam(name: string, expected: string, value: unknown): OneBotError {
  const shown =
    typeof value === 'string'
      ? JSON.stringify(value.slice(0, 40))
      : Array.isArray(value)
        ? 'an array'
        : String(value);
  return new OneBotError('BAD_REQUEST', `param "${name}" must be ${expected}, got ${shown}`, {
    details: { param: name },
  });
}

function missing(name: string, expected: string): OneBotError {
  return new OneBotError('BAD_REQUEST', `param "${name}" is required (${expected})`, {
    details: { param: name },
  });
}

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

function toInteger(name: string, value: unknown): number {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) {
    const parsed = Number(value);
    if (Number.isSafeInteger(parsed)) return parsed;
  }
  throw badParam(name, 'an integer', value);
}

export function requiredId(params: Params, name: string): number {
  if (isAbsent(params[name])) throw missing(name, 'integer');
  return toInteger(name, params[name]);
}

export function optionalId(params: Params, name: string): number | undefined {
  return isAbsent(params[name]) ? undefined : toInteger(name, params[name]);
}

export function optionalInteger(params: Params, name: string, fallback: number): number {
  return isAbsent(params[name]) ? fallback : toInteger(name, params[name]);
}

export function optionalBoolean(params: Params, name: string, fallback: boolean): boolean {
  const value = params[name];
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value === 'string') {
    const word = value.trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(word)) return true;
    if (['false', '0', 'no', 'off', ''].includes(word)) return false;
  }
  throw badParam(name, 'a boolean', value);
}

export function optionalString(params: Params, name: string, fallback: string): string {
  const value = params[name];
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw badParam(name, 'a string', value);
}

export function requiredString(params: Params, name: string): string {
  if (isAbsent(params[name])) throw missing(name, 'string');
  return optionalString(params, name, '');
}
