import { MAX_REQUEST_PARAMS } from '@onebot-gateway/core/internal';

/**
 * Query strings and `application/x-www-form-urlencoded` bodies, parsed with
 * a cap on the parameter count. Without one, 250,000 fields (2.3 MiB) keep
 * the event loop busy for seconds, freezing every adapter of the process;
 * no OneBot action takes more than a few dozen parameters.
 */

/** Most parameters a query string or a form body may carry: the router's limit for any request. */
export const MAX_PARAMETERS = MAX_REQUEST_PARAMS;

/** Fields as decoded: a repeated name becomes an array, in order. */
export type UrlEncodedFields = Record<string, string | string[]>;

/**
 * Marks a parsed query string that had more than MAX_PARAMETERS parameters.
 * fastify calls the query string parser while routing, where a throw would
 * escape its error handling, so the parser keeps the first MAX_PARAMETERS
 * fields (an `access_token` among them still authenticates) and the route
 * refuses the request.
 */
const TOO_MANY_PARAMETERS = Symbol('too many parameters');

/**
 * Where the `limit`-th parameter ends, or -1 when `text` has at most `limit`.
 * Stops at the first parameter past the limit: a hostile text is never
 * scanned, let alone decoded, beyond it.
 */
function endOfParameters(text: string, limit: number): number {
  let count = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('&', start);
    if (end === -1) end = text.length;
    // Empty pieces (`a=1&&b=2`) are no parameter, as for URLSearchParams.
    if (end > start && (count += 1) > limit) return start - 1;
    start = end + 1;
  }
  return -1;
}

/**
 * Set an own property, even one named `__proto__` (plain assignment would
 * change the prototype instead).
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

function decode(text: string): UrlEncodedFields {
  const fields: UrlEncodedFields = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const previous = Object.hasOwn(fields, key) ? fields[key] : undefined;
    if (previous === undefined) setOwn(fields, key, value);
    else if (Array.isArray(previous)) previous.push(value);
    else setOwn(fields, key, [previous, value]);
  }
  return fields;
}

/** The refusal's message for a request past the limit. */
export function tooManyParametersMessage(where: 'query string' | 'form body'): string {
  return `the ${where} has more than ${MAX_PARAMETERS} parameters; send at most ${MAX_PARAMETERS}`;
}

/**
 * Decode a url-encoded text into fields, or undefined when it has more than
 * MAX_PARAMETERS parameters (then only the count was looked at, up to the
 * first one past the limit).
 */
export function parseUrlEncoded(text: string): UrlEncodedFields | undefined {
  return endOfParameters(text, MAX_PARAMETERS) === -1 ? decode(text) : undefined;
}

/** fastify's `querystringParser`: never throws (see TOO_MANY_PARAMETERS). */
export function parseQueryString(text: string): UrlEncodedFields {
  if (text.length === 0) return {};
  const end = endOfParameters(text, MAX_PARAMETERS);
  if (end === -1) return decode(text);
  const firstFields = decode(text.slice(0, end));
  Object.defineProperty(firstFields, TOO_MANY_PARAMETERS, { value: true });
  return firstFields;
}

/** True for a query parsed by `parseQueryString` that had too many parameters. */
export function hasTooManyParameters(query: object): boolean {
  return Object.hasOwn(query, TOO_MANY_PARAMETERS);
}
