import { describe, expect, it } from 'vitest';
import { isOneBotError } from '../errors.js';
import { coerceParams, type ParamSchema, type ParamType } from './param-schema.js';
import { isNestedDeeperThan } from './request-depth.js';

function coerceOne(type: ParamType, value: unknown): unknown {
  return coerceParams({ p: value }, { p: { type } }).p;
}

function errorOf(fn: () => unknown): { retcode: number; message: string; details: unknown } {
  try {
    fn();
  } catch (error) {
    if (isOneBotError(error))
      return { retcode: error.retcode, message: error.message, details: error.details };
    throw error;
  }
  throw new Error('expected a OneBotError');
}

describe('coerceParams', () => {
  it.each([
    ['integer', 5, 5],
    ['integer', '42', 42],
    ['integer', ' -7 ', -7],
    ['integer', '+3', 3],
    ['number', '1.5', 1.5],
    ['number', '.5', 0.5],
    ['number', '1e3', 1000],
    ['number', 2, 2],
    ['string', 'x', 'x'],
    ['string', 12, '12'],
    ['boolean', 'On', true],
    ['boolean', 'OFF', false],
    ['boolean', '', false],
    ['message', 'hi', 'hi'],
    ['message', 5, '5'],
    ['message', [{ type: 'text', data: { text: 'a' } }], [{ type: 'text', data: { text: 'a' } }]],
    ['object', { a: 1 }, { a: 1 }],
    ['array', [1], [1]],
    ['any', Symbol.for('x'), Symbol.for('x')],
  ] as Array<[ParamType, unknown, unknown]>)('coerces a %s from %j', (type, input, expected) => {
    expect(coerceOne(type, input)).toEqual(expected);
  });

  it.each([
    ['integer', 'abc', 'an integer, got "abc"'],
    ['integer', '1.0', 'an integer, got "1.0"'],
    ['integer', Number.MAX_SAFE_INTEGER + 2, 'an integer'],
    ['integer', true, 'an integer, got true'],
    ['number', 'NaN', 'a number, got "NaN"'],
    ['number', Number.POSITIVE_INFINITY, 'a number'],
    ['string', { a: 1 }, 'a string, got an object'],
    ['boolean', 2, 'a boolean'],
    ['message', false, 'a message'],
    ['object', [1], 'an object, got an array'],
    ['array', 'x', 'an array, got "x"'],
  ] as Array<[ParamType, unknown, string]>)(
    'refuses a %s given %j with 1400 naming the param',
    (type, input, expected) => {
      const error = errorOf(() => coerceOne(type, input));
      expect(error.retcode).toBe(1400);
      expect(error.message).toContain(`param "p" must be ${expected}`);
      expect(error.details).toEqual({ param: 'p' });
    },
  );

  it('shortens a long bad value in the message', () => {
    const error = errorOf(() => coerceOne('integer', 'x'.repeat(10_000)));
    expect(error.message.length).toBeLessThan(120);
  });

  it('fills defaults for absent and null values, and drops absent optional ones', () => {
    const schema: ParamSchema = {
      a: { type: 'integer', default: 3 },
      b: { type: 'string' },
      c: { type: 'boolean', default: false },
    };
    expect(coerceParams({ a: null, b: null }, schema)).toEqual({ a: 3, c: false });
  });

  it('returns a new object and leaves the input alone', () => {
    const input = { id: '1', extra: 'kept' };
    const output = coerceParams(input, { id: { type: 'integer' } });
    expect(output).toEqual({ id: 1, extra: 'kept' });
    expect(input.id).toBe('1');
  });
});

describe('isNestedDeeperThan', () => {
  it('counts objects and arrays as levels, scalars as none', () => {
    expect(isNestedDeeperThan('x', 0)).toBe(false);
    expect(isNestedDeeperThan(null, 0)).toBe(false);
    expect(isNestedDeeperThan({}, 0)).toBe(true);
    expect(isNestedDeeperThan({}, 1)).toBe(false);
    expect(isNestedDeeperThan([{ a: [] }], 2)).toBe(true);
    expect(isNestedDeeperThan([{ a: [] }], 3)).toBe(false);
  });

  it('finds the deep branch among many shallow ones, beyond the cheap-walk budget', () => {
    const wide = Array.from({ length: 20_000 }, () => ({ a: 1 }));
    expect(isNestedDeeperThan(wide, 2)).toBe(false);
    wide.push({ a: { b: { c: 1 } } } as never);
    expect(isNestedDeeperThan(wide, 3)).toBe(true);
  });

  it('measures a shared node at the deepest place it is reached', () => {
    const leaf = { x: {} };
    // leaf sits at level 2 directly and at level 4 through the chain.
    const value = { direct: leaf, chain: { b: { leaf } } };
    expect(isNestedDeeperThan(value, 4)).toBe(true);
    expect(isNestedDeeperThan(value, 5)).toBe(false);
  });

  it('still measures shared nodes by their deepest place once the walk remembers nodes', () => {
    const leaf = { x: {} };
    const value = [...Array.from({ length: 20_000 }, () => leaf), { b: { c: leaf } }];
    expect(isNestedDeeperThan(value, 4)).toBe(true);
    expect(isNestedDeeperThan(value, 5)).toBe(false);
  });
});
