import { isPlainObject } from '../config/fields.js';
import { isScalar, scalarSets, spellsANumber } from './loose-equality.js';
import { queryNames } from './validate-query.js';

const existsOperator = new Set(['$exists']);

const isPlainRecord = (value: object): boolean => {
  const prototype: unknown = Object.getPrototypeOf(value);
  return (
    (prototype === Object.prototype || prototype === null) &&
    typeof (value as { toJSON?: unknown }).toJSON !== 'function'
  );
};

/**
 * Objects every compiled comparison decides: plain JSON objects (never equal
 * to a scalar). Arrays, Dates and objects with `toJSON` are sift's.
 */
const isDecidableObject = (value: object): boolean => !Array.isArray(value) && isPlainRecord(value);

function isOperatorExpression(value: unknown): value is Record<string, unknown> {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => key.startsWith('$'));
}

/** AND of tri-state parts, as statements: a false part rejects, an undecided one leaves the whole undecided. */
const conjunction = (parts: readonly string[]): string =>
  parts
    .map((part) =>
      part === 'undefined'
        ? 'unsure = true;'
        : `{ const r = ${part}; if (r === false) return false; if (r === undefined) unsure = true; }`,
    )
    .join('\n  ');

/**
 * The source of one filter's fast path (see fast-path.ts for why and what is
 * left to sift): functions declared side by side, constants bound by name.
 */
export class Program {
  readonly declarations: string[] = [];
  readonly constants: unknown[] = [];
  #names = 0;

  name(prefix: string): string {
    return `${prefix}${this.#names++}`;
  }

  constant(value: unknown): string {
    this.constants.push(value);
    return `k${this.constants.length - 1}`;
  }

  /** A function over `params` returning a verdict; the expression calling it on `args`. */
  declare(prefix: string, params: string, body: string, args: string): string {
    const name = this.name(prefix);
    this.declarations.push(`function ${name}(${params}) {\n  ${body}\n}`);
    return `${name}(${args})`;
  }

  /** `undefined` for a query nothing in which is decided here. */
  query(query: Record<string, unknown>, item = 'item'): string | undefined {
    const parts = Object.entries(query).map(([key, condition]) => this.#entry(key, condition));
    if (parts.length > 0 && parts.every((part) => part === 'undefined')) return undefined;
    const body = `let unsure = false;\n  ${conjunction(parts)}\n  return unsure ? undefined : true;`;
    return this.declare('query', 'item', body, item);
  }

  /** One entry of a query: a logical operator or a field; `'undefined'` when undecided. */
  #entry(key: string, condition: unknown): string {
    if (key === '$and' || key === '$or' || key === '$nor') {
      if (!Array.isArray(condition) || condition.length === 0) return 'undefined';
      const clauses = condition.map((clause) => (isPlainObject(clause) ? this.query(clause) : undefined));
      if (clauses.every((clause) => clause === undefined)) return 'undefined';
      const parts = clauses.map((clause) => clause ?? 'undefined');
      if (key === '$and') {
        const body = `let unsure = false;\n  ${conjunction(parts)}\n  return unsure ? undefined : true;`;
        return this.declare('and', 'item', body, 'item');
      }
      const tests = parts.map((part) =>
        part === 'undefined'
          ? 'unsure = true;'
          : `{ const r = ${part}; if (r === true) return ${key === '$or'}; if (r === undefined) unsure = true; }`,
      );
      const body = `let unsure = false;\n  ${tests.join('\n  ')}\n  return unsure ? undefined : ${key === '$nor'};`;
      return this.declare(key.slice(1), 'item', body, 'item');
    }
    if (key.startsWith('$')) return 'undefined';
    return this.#field(key, condition) ?? 'undefined';
  }

  /** `"a.b.c": condition` (a plain value or an operator expression). */
  #field(path: string, condition: unknown): string | undefined {
    const keys = path.split('.');
    // sift reads inherited properties too (`constructor`, `__proto__`): leave those keys to it.
    if (keys.some((key) => key in Object.prototype)) return undefined;
    const onlyElementMatch =
      isOperatorExpression(condition) && Object.keys(condition).length === 1 && '$elemMatch' in condition;
    let decide: string | undefined;
    if (onlyElementMatch) decide = this.#elementMatch(condition['$elemMatch']);
    else if (isOperatorExpression(condition)) decide = this.#expression(condition);
    else if (isScalar(condition)) {
      decide = this.#equals(condition);
    }
    if (decide === undefined) return undefined;
    // Scalars are always decidable: the call is made for objects only.
    const accepts = this.constant(onlyElementMatch ? acceptsArrayOrDecidable : isDecidableObject);
    const refuses = `typeof value === 'object' && value !== null && !${accepts}(value)`;
    const guard = `if (parent === null || parent === undefined) { value = undefined; present = false; }
  else if (typeof parent !== 'object' || Array.isArray(parent)) return undefined;`;
    const last = JSON.stringify(keys.pop());
    // A null or missing step on the way reads as a missing value with no key present, as in sift.
    const steps = keys.map((key) => `${guard}\n  else parent = parent[${JSON.stringify(key)}];`);
    const present = queryNames(condition, existsOperator) ? `Object.hasOwn(parent, ${last})` : 'true';
    // Once a step is null the later guards take the same branch again: idempotent, so no jump is needed.
    const body = `let parent = item, value, present = false;
  ${steps.join('\n  ')}
  ${guard}
  else { value = parent[${last}]; present = ${present}; if (${refuses}) return undefined; }
  return ${decide};`;
    return this.declare('field', 'item', body, 'item');
  }

  /**
   * `looseEquals(expected, value)` for one plain `expected` as an inline
   * comparison (the "@ the bot" case runs these per message segment): a
   * number also equals its spelling, a string spelling a number also that
   * number (-0 and 0 are `===`, as in looseEquals), null also missing.
   */
  #equals(expected: unknown): string | undefined {
    if (!isScalar(expected) || Number.isNaN(expected)) return undefined;
    if (expected === null) return '(value === null || value === undefined)';
    const same = `value === ${this.constant(expected)}`;
    if (typeof expected === 'number') return `(${same} || value === ${this.constant(String(expected))})`;
    if (typeof expected !== 'string' || !spellsANumber(expected)) return `(${same})`;
    const number = Number(expected);
    if (Number.isNaN(number)) return `(${same} || Number.isNaN(value))`;
    return `(${same} || value === ${this.constant(number)})`;
  }

  /** `scalarSets` inline: the whitelist case is one `typeof` and one Set lookup. */
  #membership(values: readonly unknown[]): string | undefined {
    const sets = scalarSets(values);
    if (sets === undefined) return undefined;
    const booleans = [...sets.booleans].map((value) => `value === ${value}`);
    return `(typeof value === 'number' ? ${this.constant(sets.numbers)}.has(value)
    : typeof value === 'string' ? ${this.constant(sets.texts)}.has(value)
    : value === null || value === undefined ? ${sets.matchesNull}
    : ${[...booleans, 'false'].join(' || ')})`;
  }

  /** `{ $op: operand, ... }` on one value (`value`, `present`): all must hold. */
  #expression(expression: Record<string, unknown>): string | undefined {
    if ('$elemMatch' in expression) return undefined;
    const parts = Object.entries(expression).map(([operator, operand]) =>
      this.#operator(operator, operand, expression),
    );
    if (parts.every((part) => part === 'undefined')) return undefined;
    // One operator (the usual case) needs no function of its own.
    if (parts.length === 1) return parts[0];
    const body = `let unsure = false;\n  ${conjunction(parts)}\n  return unsure ? undefined : true;`;
    return this.declare('expression', 'value, present', body, 'value, present');
  }

  #operator(operator: string, operand: unknown, expression: Record<string, unknown>): string {
    switch (operator) {
      case '$eq':
      case '$ne': {
        const equals = this.#equals(operand);
        if (equals === undefined) return 'undefined';
        return operator === '$ne' ? `!${equals}` : equals;
      }
      case '$in':
      case '$nin': {
        const member = Array.isArray(operand) ? this.#membership(operand) : undefined;
        if (member === undefined) return 'undefined';
        return operator === '$nin' ? `!${member}` : member;
      }
      case '$exists':
        return `present === ${Boolean(operand)}`;
      case '$regex': {
        if (typeof operand !== 'string') return 'undefined';
        const flags = Object.hasOwn(expression, '$options') ? expression['$options'] : undefined;
        return `${this.constant(regexTest(new RegExp(operand, flags as string | undefined)))}(value)`;
      }
      case '$options':
        // A flag of $regex, read there.
        return 'true';
      case '$gt':
      case '$gte':
      case '$lt':
      case '$lte': {
        // sift compares only values of the operand's own type.
        if (typeof operand !== 'number' && typeof operand !== 'string') return 'undefined';
        const comparison = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' }[operator];
        return `(typeof value === ${JSON.stringify(typeof operand)} && value ${comparison} ${this.constant(operand)})`;
      }
      case '$not': {
        const inner = isOperatorExpression(operand) ? this.#expression(operand) : undefined;
        if (inner === undefined) return 'undefined';
        const body = `const r = ${inner};\n  return r === undefined ? undefined : !r;`;
        return this.declare('not', 'value, present', body, 'value, present');
      }
      default:
        return 'undefined';
    }
  }

  /**
   * `$elemMatch` with a query over the elements' fields: some element
   * matches. A null element reads as having no fields, as sift reads it;
   * elements that are primitives are sift's to decide, and so is an array
   * holding arrays (sift answers for the first such element alone).
   */
  #elementMatch(query: unknown): string | undefined {
    if (!isPlainObject(query) || isOperatorExpression(query)) return undefined;
    const element = this.query(query, 'element');
    if (element === undefined) return undefined;
    const body = `if (!Array.isArray(value)) return false;
  let found = false, unsure = false;
  for (let index = 0; index < value.length; index++) {
    const element = value[index];
    if (Array.isArray(element)) return undefined;
    if (found) continue;
    const r = element === null || typeof element === 'object' ? ${element} : undefined;
    if (r === true) found = true;
    else if (r === undefined) unsure = true;
  }
  return found ? true : unsure ? undefined : false;`;
    return this.declare('elements', 'value', body, 'value');
  }
}

const acceptsArrayOrDecidable = (value: object): boolean => Array.isArray(value) || isPlainRecord(value);

function regexTest(pattern: RegExp): (value: unknown) => boolean {
  return (value) => {
    const found = typeof value === 'string' && pattern.test(value);
    pattern.lastIndex = 0;
    return found;
  };
}
