/**
 * Most named parameters one request may carry, whatever the transport. No
 * OneBot action takes more than a few dozen; copying and coercing 250,000 of
 * them blocks the event loop for a second or more, freezing every adapter.
 */
export const MAX_REQUEST_PARAMS = 1000;

/**
 * True when `params` has more than `limit` own enumerable keys. Listing the
 * keys costs far less than the copy and coercion it saves (tens of ms for
 * 250,000 keys on a slow machine, against a second or more), and about as
 * little as a counting loop for the usual handful.
 */
export function hasMoreKeysThan(params: object, limit: number): boolean {
  return Object.keys(params).length > limit;
}

/** The refusal's message for a request past MAX_REQUEST_PARAMS. */
export function tooManyParamsMessage(): string {
  return `"params" has more than ${MAX_REQUEST_PARAMS} parameters; send at most ${MAX_REQUEST_PARAMS}`;
}
