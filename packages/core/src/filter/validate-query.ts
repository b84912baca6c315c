import { isPlainObject } from '../config/fields.js';

/**
 * The operators a `filter` may use: the MongoDB query subset operators know
 * from LLBot and the issue, plus `$options` (flags of `$regex`), `$all` and
 * `$size`. Everything else sift would accept is refused on purpose: `$where`
 * runs code, and a typo like `$regx` must be a config error, not a filter
 * that silently matches nothing.
 */
export const filterOperators = [
  '$eq',
  '$ne',
  '$in',
  '$nin',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  '$regex',
  '$options',
  '$exists',
  '$and',
  '$or',
  '$nor',
  '$not',
  '$elemMatch',
  '$all',
  '$size',
] as const;

const logicalOperators = new Set(['$and', '$or', '$nor']);
const fieldOperators = new Set<string>(filterOperators.filter((name) => !logicalOperators.has(name)));

/** Why a filter was refused; `operator` is the one at fault when there is one. */
export class InvalidFilterError extends Error {
  constructor(
    message: string,
    readonly operator?: string,
  ) {
    super(message);
  }
}

function where(path: string): string {
  return path === '' ? '' : ` (at ${path})`;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** Deeper than any real filter; keeps validation and sift's recursion far from the stack limit. */
const MAX_FILTER_DEPTH = 32;

function checkDepth(path: string): void {
  if (path.split('.').length > MAX_FILTER_DEPTH)
    throw new InvalidFilterError(`nests deeper than ${MAX_FILTER_DEPTH} levels${where(path)}`);
}

function isOperatorExpression(value: unknown): value is Record<string, unknown> {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => key.startsWith('$'));
}

function checkRegex(expression: Record<string, unknown>, path: string): void {
  const pattern = expression['$regex'];
  const flags = expression['$options'];
  if (typeof pattern !== 'string')
    throw new InvalidFilterError(`operator "$regex" expects a string pattern${where(path)}`, '$regex');
  if (flags !== undefined && typeof flags !== 'string')
    throw new InvalidFilterError(`operator "$options" expects a string of flags${where(path)}`, '$options');
  try {
    new RegExp(pattern, flags);
  } catch (error) {
    const operator = flags !== undefined && /flag/i.test((error as Error).message) ? '$options' : '$regex';
    throw new InvalidFilterError(
      `operator "${operator}": ${(error as Error).message}${where(path)}`,
      operator,
    );
  }
}

/** `{ $op: value, ... }` applied to one field. */
function checkFieldExpression(expression: Record<string, unknown>, path: string): void {
  checkDepth(path);
  for (const [operator, value] of Object.entries(expression)) {
    if (!fieldOperators.has(operator)) {
      const reason = logicalOperators.has(operator)
        ? `operator "${operator}" combines whole queries; use it outside a field`
        : `unknown operator "${operator}"`;
      throw new InvalidFilterError(`${reason}${where(path)}`, operator);
    }
    const at = join(path, operator);
    switch (operator) {
      case '$in':
      case '$nin':
      case '$all':
        if (!Array.isArray(value))
          throw new InvalidFilterError(`operator "${operator}" expects an array${where(at)}`, operator);
        break;
      case '$regex':
        checkRegex(expression, path);
        break;
      case '$options':
        if (!Object.hasOwn(expression, '$regex'))
          throw new InvalidFilterError(
            `operator "$options" needs "$regex" next to it${where(path)}`,
            '$options',
          );
        break;
      case '$size':
        if (!Number.isSafeInteger(value) || (value as number) < 0)
          throw new InvalidFilterError(`operator "$size" expects a whole number${where(at)}`, operator);
        break;
      case '$not':
        if (!isOperatorExpression(value))
          throw new InvalidFilterError(
            `operator "$not" expects an operator expression such as {"$in": [...]}${where(at)}`,
            operator,
          );
        checkFieldExpression(value, at);
        break;
      case '$elemMatch':
        if (!isPlainObject(value))
          throw new InvalidFilterError(`operator "$elemMatch" expects an object${where(at)}`, operator);
        // Either a query over the elements' fields or operators on the elements themselves.
        if (isOperatorExpression(value)) checkFieldExpression(value, at);
        else checkQuery(value, at);
        break;
      default:
        // $eq $ne $gt $gte $lt $lte $exists take any value.
        break;
    }
  }
}

/** A whole query: field paths and the logical operators. */
function checkQuery(query: Record<string, unknown>, path: string): void {
  checkDepth(path);
  for (const [key, value] of Object.entries(query)) {
    const at = join(path, key);
    if (logicalOperators.has(key)) {
      if (!Array.isArray(value) || value.length === 0 || !value.every(isPlainObject))
        throw new InvalidFilterError(
          `operator "${key}" expects a non-empty array of queries${where(at)}`,
          key,
        );
      value.forEach((clause, index) => checkQuery(clause as Record<string, unknown>, `${at}[${index}]`));
      continue;
    }
    if (key.startsWith('$')) {
      const reason = fieldOperators.has(key)
        ? `operator "${key}" applies to a field; write {"<field>": {"${key}": ...}}`
        : `unknown operator "${key}"`;
      throw new InvalidFilterError(`${reason}${where(path)}`, key);
    }
    if (isPlainObject(value) && Object.keys(value).some((inner) => inner.startsWith('$'))) {
      if (!isOperatorExpression(value))
        throw new InvalidFilterError(
          `mixes operators and plain keys; put the plain keys in their own {"$eq": ...}${where(at)}`,
        );
      checkFieldExpression(value, at);
    }
  }
}

/**
 * Throws `InvalidFilterError` naming the first operator that is unknown or
 * used with the wrong shape; sift alone would accept some of these (an
 * `$in` that is not an array) and fail per event instead.
 */
export function validateFilterQuery(query: unknown): asserts query is Record<string, unknown> {
  if (!isPlainObject(query))
    throw new InvalidFilterError('expected an object such as {"group_id": {"$in": [123]}}');
  checkQuery(query, '');
}

/** True when `post_type` is named as a field anywhere in the query (then meta events are matched too). */
export function queryNames(query: unknown, fields: ReadonlySet<string>): boolean {
  const pending: unknown[] = [query];
  while (pending.length > 0) {
    const value = pending.pop();
    if (Array.isArray(value)) pending.push(...value);
    else if (isPlainObject(value)) {
      for (const [key, inner] of Object.entries(value)) {
        if (fields.has(key.split('.', 1)[0]!)) return true;
        pending.push(inner);
      }
    }
  }
  return false;
}
