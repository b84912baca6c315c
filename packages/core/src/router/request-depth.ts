/** Deepest nesting the router accepts in a request (objects and arrays). */
export const MAX_REQUEST_DEPTH = 128;

/**
 * True when `value` nests deeper than `limit` levels. Iterative, so a
 * hostile input can never blow the stack here.
 */
export function isNestedDeeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (depth > limit) return true;
    const children = Array.isArray(current) ? current : Object.values(current as object);
    for (const child of children) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}
