/**
 * Most named parameters one request may carry, whatever the transport. No
 * OneBot action takes more than a few dozen; copying and coercing 250,000 of
 * them blocks the event loop for a second or more, freezing every adapter.
 */
export const MAX_REQUEST_PARAMS = 1000;

/**
 * True when `params` has more than `limit` own enumerable keys. Counts up to
 * the first one past the limit (no array of every key is built).
 */
export function hasMoreKeysThan(params: object, limit: number): boolean {
  let count = 0;
  for (const key in params) {
    if (Object.hasOwn(params, key) && ++count > limit) return true;
  }
  return false;
}

/** The refusal's message for a request past MAX_REQUEST_PARAMS. */
export function tooManyParamsMessage(): string {
  return `"params" has more than ${MAX_REQUEST_PARAMS} parameters; send at most ${MAX_REQUEST_PARAMS}`;
}
