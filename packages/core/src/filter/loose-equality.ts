/**
 * The equality every filter comparison uses (`$eq`, `$ne`, `$in`, `$nin`,
 * plain values), shared by sift (as its `compare` option) and the compiled
 * fast path, so both give the same answers.
 */

export const isScalar = (value: unknown): value is string | number | boolean | null =>
  value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

function deepEquals(a: unknown, b: unknown): boolean {
  if (a === b || (a == null && b == null)) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, index) => deepEquals(item, b[index]));
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(b))
    return false;
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;
  return aKeys.every((key) => deepEquals((a as never)[key], (b as never)[key]));
}

/**
 * Equality for `$eq`, `$in`, `$ne`, `$nin` and plain values: a number equals
 * the string that spells it. Segment data values are strings on the wire
 * (protocol.md section 5) but some backends send numbers, and ids in events
 * are numbers but users quote them, so `"data.qq": "10000"` and
 * `"group_id": {"$in": ["123"]}` match either spelling.
 */
export function looseEquals(expected: unknown, actual: unknown): boolean {
  if (typeof expected === 'number' && typeof actual === 'string')
    return actual !== '' && String(expected) === actual;
  if (typeof expected === 'string' && typeof actual === 'number') return expected === String(actual);
  return deepEquals(expected, actual);
}

/** Whether `value` is the one string `String(Number(value))` gives back (so a number spells it). */
export function spellsANumber(value: string): boolean {
  return value !== '' && String(Number(value)) === value;
}

/** The lookups behind a `$in` of plain values, for code that inlines them (fast-path.ts). */
export interface ScalarSets {
  readonly texts: ReadonlySet<string>;
  readonly numbers: ReadonlySet<number>;
  readonly booleans: ReadonlySet<boolean>;
  readonly matchesNull: boolean;
}

/**
 * "Equal (by `looseEquals`) to one of `values`" for a list of plain values
 * (the group whitelist case) as Set lookups prepared once, so a 50-id list
 * costs what a 1-id list does and no value is converted per event. Numbers
 * are also listed by their spelling and canonical numeric strings by their
 * number, which is exactly when `looseEquals` crosses the two types.
 * `undefined` for lists holding anything else (objects, arrays, regular
 * expressions, NaN), which only sift decides.
 */
export function scalarSets(values: readonly unknown[]): ScalarSets | undefined {
  const texts = new Set<string>();
  const numbers = new Set<number>();
  const booleans = new Set<boolean>();
  let matchesNull = false;
  for (const value of values) {
    if (typeof value === 'number') {
      // looseEquals(NaN, NaN) is false, a Set would say true: leave NaN to sift.
      if (Number.isNaN(value)) return undefined;
      numbers.add(value);
      texts.add(String(value));
    } else if (typeof value === 'string') {
      texts.add(value);
      if (spellsANumber(value)) numbers.add(Number(value));
    } else if (typeof value === 'boolean') booleans.add(value);
    else if (value === null) matchesNull = true;
    else return undefined;
  }
  return { texts, numbers, booleans, matchesNull };
}
