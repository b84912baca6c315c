import fc from 'fast-check';
import { createDefaultQueryOperation, createOperationTester } from 'sift';
import { describe, expect, it } from 'vitest';
import type { OneBotEvent } from '../types/events.js';
import { compileEventFilter } from './event-filter.js';
import { compileFastPath } from './fast-path.js';
import { looseEquals } from './loose-equality.js';

/**
 * The reference: sift as published, with its own operators and only the
 * filter's equality (a number equals the string spelling it) plugged in.
 * The compiled fast path must give its answer wherever it gives one, and a
 * compiled filter (fast path, then sift with our operator shortcuts) must
 * give it everywhere.
 */
const reference = (query: Record<string, unknown>) =>
  createOperationTester(createDefaultQueryOperation(query, null, { compare: looseEquals })) as (
    event: unknown,
  ) => boolean;

// Few distinct values, so random queries and events often meet: spellings cross (7 / "7"), null, missing.
const scalar = fc.constantFrom<unknown>(7, '7', 8, '8', -0, '0', '', 'at', 'text', 'AT', true, false, null);
const oddValue = fc.constantFrom<unknown>(
  ['7', 8],
  [],
  { role: 'member' },
  { qq: '7' },
  'NaN',
  Number.NaN,
  '07',
  7.5,
);
const value = fc.oneof({ weight: 4, arbitrary: scalar }, { weight: 1, arbitrary: oddValue });

const segment = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record(
      {
        type: fc.oneof(fc.constantFrom('at', 'text', 'face'), value),
        data: fc.oneof(
          fc.record({ qq: value, text: value }, { requiredKeys: [], noNullPrototype: true }),
          value,
        ),
      },
      { requiredKeys: [], noNullPrototype: true },
    ),
  },
  // Elements that are not segments: sift's corner cases must be left to sift.
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, 7, 'at', [{ type: 'at' }], []) },
);

const event = fc.record(
  {
    post_type: fc.oneof(fc.constantFrom('message', 'notice', 'meta_event'), value),
    group_id: value,
    user_id: value,
    anonymous: fc.oneof(fc.constant(null), value),
    raw_message: fc.oneof(fc.constantFrom('hello', 'HELLO at', ''), value),
    sender: fc.oneof(
      fc.record({ role: value, user_id: value }, { requiredKeys: [], noNullPrototype: true }),
      value,
    ),
    message: fc.oneof(
      { weight: 4, arbitrary: fc.array(segment, { maxLength: 4 }) },
      { weight: 1, arbitrary: value },
    ),
  },
  { requiredKeys: [], noNullPrototype: true },
) as fc.Arbitrary<OneBotEvent>;

const eventField = fc.constantFrom(
  'group_id',
  'user_id',
  'post_type',
  'anonymous',
  'sender.role',
  'sender.user_id',
  'raw_message',
  'message',
  'missing.deep',
);
const segmentField = fc.constantFrom('type', 'data.qq', 'data.text', 'data', 'missing');
const scalars = fc.array(scalar, { maxLength: 5 });

/** `{field: condition}` conditions of the compiled shapes (and a few that fall back). */
const condition = fc.oneof(
  { weight: 3, arbitrary: scalar },
  { weight: 2, arbitrary: scalar.map(($eq) => ({ $eq })) },
  { weight: 2, arbitrary: scalar.map(($ne) => ({ $ne })) },
  { weight: 3, arbitrary: scalars.map(($in) => ({ $in })) },
  { weight: 2, arbitrary: scalars.map(($nin) => ({ $nin })) },
  { weight: 2, arbitrary: fc.boolean().map(($exists) => ({ $exists })) },
  { weight: 1, arbitrary: fc.constantFrom(7, 8, 'b', 'hello').map(($gt) => ({ $gt })) },
  { weight: 1, arbitrary: fc.constantFrom(7, 'at').map(($lte) => ({ $lte })) },
  { weight: 1, arbitrary: fc.constantFrom({ $regex: '^hel', $options: 'i' }, { $regex: 'at$' }) },
  { weight: 1, arbitrary: scalars.map(($in) => ({ $not: { $in } })) },
  { weight: 1, arbitrary: fc.tuple(scalars, scalar).map(([$in, $ne]) => ({ $in, $ne })) },
  // Shapes the fast path leaves to sift: still compared through the whole filter.
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>({ $size: 2 }, { $all: ['7'] }, { role: 'member' }, ['7', 8]),
  },
);

function queryOver(field: fc.Arbitrary<string>, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const fields = fc.dictionary(field, condition, { minKeys: 1, maxKeys: 3, noNullPrototype: true });
  if (depth === 0) return fields;
  const inner = queryOver(field, depth - 1);
  const clauses = fc.array(inner, { minLength: 1, maxLength: 3 });
  return fc.oneof(
    { weight: 3, arbitrary: fields },
    { weight: 1, arbitrary: clauses.map(($and) => ({ $and })) },
    { weight: 1, arbitrary: clauses.map(($or) => ({ $or })) },
    { weight: 1, arbitrary: clauses.map(($nor) => ({ $nor })) },
  );
}

/** Under `$elemMatch` a query needs a field beside any logical operator (else it reads as operators on the element). */
const segmentQuery = fc.oneof(
  queryOver(segmentField, 0),
  fc
    .tuple(
      queryOver(segmentField, 0),
      fc.constantFrom('$and', '$or', '$nor'),
      fc.array(queryOver(segmentField, 0), { minLength: 1, maxLength: 2 }),
    )
    .map(([fields, operator, clauses]) => ({ ...fields, [operator]: clauses })),
);
/** Event queries, with "@ the bot"-style `$elemMatch` over `message` mixed in. */
const query = fc.oneof(
  { weight: 3, arbitrary: queryOver(eventField, 2) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(queryOver(eventField, 1), segmentQuery)
      .map(([rest, $elemMatch]) => ({ ...rest, message: { $elemMatch } })),
  },
);

describe('the compiled fast path', () => {
  it('agrees with sift wherever it decides, and the whole filter agrees everywhere', () => {
    let decided = 0;
    let asked = 0;
    fc.assert(
      fc.property(query, fc.array(event, { minLength: 1, maxLength: 8 }), (filterQuery, events) => {
        const expected = reference(filterQuery);
        const fast = compileFastPath(filterQuery);
        const filter = compileEventFilter(filterQuery);
        for (const item of events) {
          const want = expected(item);
          const verdict = fast?.(item);
          asked++;
          if (verdict !== undefined) {
            decided++;
            expect(verdict, JSON.stringify({ filterQuery, item })).toBe(want);
          }
          expect(filter.matches(item), JSON.stringify({ filterQuery, item })).toBe(want);
        }
      }),
      { numRuns: 1500 },
    );
    // The generators aim at the compiled shapes: most answers must come from the fast path.
    expect(decided / asked).toBeGreaterThan(0.5);
  });

  it('decides the typical filter on plain events without sift', () => {
    const typical = compileFastPath({
      group_id: { $in: [123, '456'] },
      message: { $elemMatch: { type: 'at', 'data.qq': '10001' } },
    })!;
    const at = (qq: unknown) => [
      { type: 'text', data: { text: 'hi ' } },
      { type: 'at', data: { qq } },
    ];
    expect(typical({ group_id: 123, message: at('10001') })).toBe(true);
    expect(typical({ group_id: '456', message: at(10001) })).toBe(true);
    expect(typical({ group_id: 456, message: at('10002') })).toBe(false);
    expect(typical({ group_id: 789, message: at('10001') })).toBe(false);
    // A path that meets an array is sift's (MongoDB matches any element there).
    expect(typical({ group_id: [123], message: at('10001') })).toBeUndefined();
  });

  it('leaves shapes it does not compile to sift entirely', () => {
    expect(compileFastPath({ message: { $size: 2 } })).toBeUndefined();
    expect(compileFastPath({ sender: { role: 'member' } })).toBeUndefined();
    expect(compileFastPath({ constructor: 1 })).toBeUndefined();
  });

  it('puts key names into the generated code only as string literals', () => {
    const hostile = '"]; throw new Error("injected"); //';
    const check = compileFastPath({ [hostile]: 1, [`a.${hostile}`]: { $exists: false } })!;
    expect(check({ [hostile]: 1 })).toBe(true);
    expect(check({ [hostile]: 2 })).toBe(false);
  });
});
