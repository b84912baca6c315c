import sift from 'sift';
import { looseEquals } from './loose-equality.js';
import { filterOperators } from './validate-query.js';

type SiftOperation = (params: unknown, ownerQuery: unknown, options: unknown, name: string) => unknown;
const siftOperations = sift as unknown as Record<string, SiftOperation>;

/**
 * Only the operators of `filterOperators`, as sift ships them: sift's
 * others ($where runs code) stay out. sift decides only what the compiled
 * fast path leaves open (paths that meet arrays, shapes it does not
 * compile), so its own operators serve: their answers are the reference the
 * fast path is tested against.
 */
const allowedOperations: Record<string, SiftOperation> = Object.fromEntries(
  filterOperators.map((name) => [name, siftOperations[name]!]),
);

/** sift's options for every filter: the allowed operators and the filter's equality. */
const siftOptions = { operations: allowedOperations, compare: looseEquals };

/** The whole query as sift evaluates it; throws sift's error for a shape it refuses. */
export function compileWithSift(query: Record<string, unknown>): (event: unknown) => boolean {
  const operation = sift.createQueryOperation(query, null, siftOptions as never);
  return sift.createOperationTester(operation) as (event: unknown) => boolean;
}
