import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Authentication as protocol.md section 2 describes it: pure functions every
 * adapter uses, so the rules (any scheme, bare header, query fallback, empty
 * means absent, constant-time comparison) live in exactly one place.
 */

export type TokenCheck = 'ok' | 'missing' | 'wrong';

export interface TokenSources {
  /** The `Authorization` header as the transport hands it over. */
  authorization?: string | string[] | undefined;
  /** The `access_token` query parameter. */
  accessToken?: string | string[] | undefined;
}

/** Scheme words that, standing alone, mean "a header with no token in it". */
const bareSchemeWords = new Set(['bearer', 'token', 'basic']);

function firstValue(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  if (typeof first !== 'string') return undefined;
  const trimmed = first.trim();
  return trimmed === '' ? undefined : trimmed;
}

function tokenFromAuthorization(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const space = header.search(/\s/);
  // `Authorization: <token>` without a scheme is common (NapCat accepts it).
  if (space === -1) return bareSchemeWords.has(header.toLowerCase()) ? undefined : header;
  const token = header.slice(space + 1).trim();
  return token === '' ? undefined : token;
}

/**
 * The token a client sent: `Authorization: <any scheme> <token>` or a bare
 * `Authorization: <token>`, else the `access_token` query value. Empty values
 * count as absent; for repeated headers or parameters the first one counts.
 */
export function extractToken(sources: TokenSources): string | undefined {
  return tokenFromAuthorization(firstValue(sources.authorization)) ?? firstValue(sources.accessToken);
}

// Comparing fixed-length digests keeps the comparison constant-time and keeps
// the length of the configured token from leaking through timing as well.
function digest(value: string | Buffer): Buffer {
  return createHash('sha256').update(value).digest();
}

function constantTimeEqual(a: string | Buffer, b: string | Buffer): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/**
 * Compare what a client sent with the configured token. An empty `expected`
 * means no token is configured: everything is accepted, whatever was sent
 * (clients send `Token undefined` or `?access_token=` in that case).
 */
export function checkToken(expected: string, provided: string | undefined): TokenCheck {
  if (expected === '') return 'ok';
  if (provided === undefined || provided === '') return 'missing';
  return constantTimeEqual(expected, provided) ? 'ok' : 'wrong';
}

/** The `X-Signature` header value for a body: `sha1=<hex HMAC-SHA1(token, body)>`. */
export function signBody(token: string, body: string | Buffer): string {
  return `sha1=${createHmac('sha1', token).update(body).digest('hex')}`;
}

/**
 * Check an `X-Signature` header against the body bytes, in constant time.
 * An empty token means signing is not configured: like `checkToken`, every
 * body is accepted.
 */
export function verifySignature(
  token: string,
  body: string | Buffer,
  header: string | string[] | undefined,
): boolean {
  if (token === '') return true;
  const provided = firstValue(header);
  if (provided === undefined) return false;
  // Hex digits are case-insensitive; the `sha1=` prefix is compared as well.
  return constantTimeEqual(signBody(token, body), provided.toLowerCase());
}

const redactedMark = '***';

/**
 * A URL (absolute or a request path) safe for a log line: a non-empty
 * `access_token` value and any password in the user-info part are masked.
 */
export function redactUrl(url: string | URL): string {
  return String(url)
    .replace(/(^|[?&])(access_token=)[^&#\s]+/gi, `$1$2${redactedMark}`)
    .replace(/^([a-z][a-z0-9+.-]*:\/\/[^/?#:@]*:)[^/?#@]+@/i, `$1${redactedMark}@`);
}

const secretHeaders = new Set(['authorization', 'proxy-authorization']);

function maskAuthorization(value: string): string {
  const space = value.trim().search(/\s/);
  return space === -1 ? redactedMark : `${value.trim().slice(0, space)} ${redactedMark}`;
}

/**
 * A copy of a header object safe for a log line: `Authorization` (any case)
 * keeps its scheme and loses its credentials. Other headers are untouched.
 */
export function redactHeaders<T extends Record<string, unknown>>(headers: T): T {
  const copy: Record<string, unknown> = { ...headers };
  for (const [name, value] of Object.entries(copy)) {
    if (!secretHeaders.has(name.toLowerCase())) continue;
    if (typeof value === 'string') copy[name] = maskAuthorization(value);
    else if (Array.isArray(value))
      copy[name] = value.map((item) => (typeof item === 'string' ? maskAuthorization(item) : redactedMark));
    else if (value !== undefined) copy[name] = redactedMark;
  }
  return copy as T;
}
