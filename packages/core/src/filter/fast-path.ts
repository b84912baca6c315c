import { Program } from './filter-program.js';

/**
 * The common filter shapes compiled into one plain function per filter.
 * sift walks every query generically (about 100 ns per field, more for
 * `$elemMatch`); an operator holding ten adapters with ten different
 * whitelists pays that ten times per event.
 *
 * The compiled function answers `true`, `false`, or `undefined` for "not
 * decided here": the event is then handed to sift as a whole, so results
 * are sift's (with the filter's `looseEquals`) by construction. A field is
 * undecided where MongoDB semantics get subtle: a path that meets an array
 * (match any element), crosses a string or number (sift reads properties of
 * those), ends on an array or a non-plain object (sift compares `toJSON()`
 * or a Date's time), or an operator or value shape not compiled here
 * (`$all`, `$size`, objects or arrays as values). fast-path.test.ts holds
 * this file to sift's answers with fast-check.
 *
 * Why generated source rather than nested closures: closures shared by
 * every filter read properties through a variable key and call each other
 * through call sites that see every filter's checks, which V8 cannot cache
 * or inline (the typical filter took ~100 ns that way, ten distinct ones a
 * microsecond per event). Generated per filter, every read names its key
 * and every call has one target: about what hand-written code costs
 * (~30 ns). Only key names enter the source, as JSON string literals;
 * values (Sets, regular expressions, numbers) are passed in as constants.
 * Where code generation is disabled (`--disallow-code-generation-from-strings`)
 * there is no fast path and sift decides every event.
 */
export type Verdict = boolean | undefined;
export type FastCheck = (item: unknown) => Verdict;

/**
 * The fast path of a validated query, or `undefined` when no part of it is
 * compiled here (then sift decides every event).
 */
export function compileFastPath(query: Record<string, unknown>): FastCheck | undefined {
  return build(query, (entry) => `return function matches(item) { return ${entry}; };`) as
    FastCheck | undefined;
}

/**
 * The whole filter as one function: the fast path, `fallback` (sift) where
 * it leaves the event undecided, and no match for an event that cannot be
 * walked (a getter that throws). One call per event instead of three
 * nested ones: the bus asks ten distinct filters per event.
 */
export function compileFilterMatcher(
  query: Record<string, unknown>,
  fallback: (event: unknown) => boolean,
): ((event: unknown) => boolean) | undefined {
  return build(
    query,
    (entry, constant) => `return function matches(item) {
  try {
    const verdict = ${entry};
    return verdict === undefined ? ${constant(fallback)}(item) : verdict;
  } catch {
    return false;
  }
};`,
  ) as ((event: unknown) => boolean) | undefined;
}

function build(
  query: Record<string, unknown>,
  entryFunction: (entry: string, constant: (value: unknown) => string) => string,
): unknown {
  const program = new Program();
  const entry = program.query(query);
  if (entry === undefined) return undefined;
  const last = entryFunction(entry, (value) => program.constant(value));
  const bindings = program.constants.map((_, index) => `k${index} = constants[${index}]`);
  const source = `"use strict";
${bindings.length > 0 ? `const ${bindings.join(', ')};` : ''}
${program.declarations.join('\n')}
${last}`;
  try {
    return programFactory(source)(program.constants);
  } catch {
    return undefined;
  }
}

/**
 * One factory per generated source, so filters of one shape (ten adapters'
 * whitelists differ in their lists, not their shape) are closures of the
 * same functions: V8 then keeps one set of type feedback and one optimised
 * copy for all of them instead of warming up each. Bounded like the filter
 * cache; only config loads add to it.
 */
const factories = new Map<string, (constants: unknown[]) => unknown>();
const MAX_FACTORIES = 1000;

function programFactory(source: string): (constants: unknown[]) => unknown {
  let factory = factories.get(source);
  if (factory === undefined) {
    // Only key names (as JSON literals) and this file's templates are in `source`; see the top of the file.
    factory = new Function('constants', source) as (constants: unknown[]) => unknown;
    if (factories.size >= MAX_FACTORIES) factories.clear();
    factories.set(source, factory);
  }
  return factory;
}
