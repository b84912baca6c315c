/** Deepest nesting the router accepts in a request (objects and arrays). */
export const MAX_REQUEST_DEPTH = 128;

/** Nodes walked the cheap way before switching to the walk that remembers nodes. */
const PLAIN_WALK_BUDGET = 10_000;

type Walk = 'deeper' | 'within' | 'over-budget';

function walk(value: object, limit: number, deepestSeen: Map<object, number> | undefined): Walk {
  const stack: Array<[object, number]> = [[value, 1]];
  let budget = PLAIN_WALK_BUDGET;
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (depth > limit) return 'deeper';
    if (deepestSeen) {
      const seen = deepestSeen.get(current);
      if (seen !== undefined && seen >= depth) continue;
      deepestSeen.set(current, depth);
    } else if (--budget < 0) {
      return 'over-budget';
    }
    const children = Array.isArray(current) ? current : Object.values(current);
    for (const child of children) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return 'within';
}

/**
 * True when `value` nests deeper than `limit` levels (a scalar is level 0,
 * `{}` and `[]` level 1). Iterative, so a hostile input can never blow the
 * stack here. Parsed JSON is a tree, walked as such. A plugin may pass
 * objects that share children, even cycles: when the cheap walk runs long,
 * the walk is redone remembering the deepest level each node was reached at
 * and revisiting it only from deeper, so the work stays bounded by `limit`
 * times the node count and a cycle counts as too deep.
 */
export function isNestedDeeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const plain = walk(value, limit, undefined);
  if (plain !== 'over-budget') return plain === 'deeper';
  return walk(value, limit, new Map()) === 'deeper';
}

const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \
const OPEN_BRACKET = 0x5b; // [
const CLOSE_BRACKET = 0x5d; // ]
const OPEN_BRACE = 0x7b; // {
const CLOSE_BRACE = 0x7d; // }

/**
 * `isNestedDeeperThan` for JSON text, before it is parsed: true when the
 * text opens more than `limit` objects and arrays at some point (brackets
 * inside strings do not count). For valid JSON it agrees with
 * `isNestedDeeperThan(JSON.parse(text), limit)`; for invalid JSON the
 * answer only means "do not parse this".
 *
 * Checking first matters because parsing is what a deep frame attacks:
 * `JSON.parse` of 50 MB of `[` takes about 26 s and 1.5 GB here, while this
 * stops at the first level past the limit. A well-formed frame costs one
 * pass over its bytes, much less than parsing it or walking the result.
 * UTF-8 bytes work like the string: multi-byte sequences never contain
 * these ASCII codes.
 */
export function isJsonTextNestedDeeperThan(text: string | Uint8Array, limit: number): boolean {
  const isString = typeof text === 'string';
  const length = text.length;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < length; i++) {
    const code = isString ? text.charCodeAt(i) : text[i]!;
    if (inString) {
      if (code === BACKSLASH) i++;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) {
      inString = true;
    } else if (code === OPEN_BRACKET || code === OPEN_BRACE) {
      if (++depth > limit) return true;
    } else if (code === CLOSE_BRACKET || code === CLOSE_BRACE) {
      depth--;
    }
  }
  return false;
}
