import { createRequire } from 'node:module';
import type siftModule from 'sift';
import { looseEquals } from './loose-equality.js';
import { filterOperators } from './validate-query.js';

type Sift = typeof siftModule;
type SiftOperation = (params: unknown, ownerQuery: unknown, options: unknown, name: string) => unknown;

let loaded: { sift: Sift; options: unknown } | undefined;

/**
 * sift, with the options every filter uses; loaded by the first filter, so
 * a gateway whose config has none never loads it (the same module an
 * `import` would give: sift is CommonJS).
 *
 * Only the operators of `filterOperators`, as sift ships them: sift's
 * others ($where runs code) stay out. sift decides only what the compiled
 * fast path leaves open (paths that meet arrays, shapes it does not
 * compile), so its own operators serve: their answers are the reference the
 * fast path is tested against.
 */
function siftWithOptions(): { sift: Sift; options: unknown } {
  if (loaded) return loaded;
  const sift = createRequire(import.meta.url)('sift') as Sift;
  const siftOperations = sift as unknown as Record<string, SiftOperation>;
  const operations = Object.fromEntries(filterOperators.map((name) => [name, siftOperations[name]!]));
  loaded = { sift, options: { operations, compare: looseEquals } };
  return loaded;
}

/** The whole query as sift evaluates it; throws sift's error for a shape it refuses. */
export function compileWithSift(query: Record<string, unknown>): (event: unknown) => boolean {
  const { sift, options } = siftWithOptions();
  const operation = sift.createQueryOperation(query, null, options as never);
  return sift.createOperationTester(operation) as (event: unknown) => boolean;
}
