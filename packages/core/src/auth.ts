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
 * The `access_token` key in every spelling a query parser decodes to it:
 * each character literal or percent-encoded (`access%5Ftoken`). Matching the
 * literal key only let `?access%5Ftoken=T` authenticate and still be logged.
 */
const accessTokenKey = [...'access_token']
  .map((char) => `(?:${char}|%${char.charCodeAt(0).toString(16)})`)
  .join('');
const accessTokenInUrl = new RegExp(`(^|[?&])(${accessTokenKey}=)[^&#\\s]+`, 'gi');
const accessTokenInText = new RegExp(`(${accessTokenKey}=)[^&\\s"#]*`, 'gi');

/**
 * Every occurrence of `token` replaced by `mark`: as is, percent-encoded (a
 * URL) and JSON-escaped (a body); nothing when no token is set.
 */
function maskTokenValue(text: string, token: string, mark: string): string {
  if (token === '') return text;
  let masked = text.split(token).join(mark);
  for (const spelling of [encodeURIComponent(token), JSON.stringify(token).slice(1, -1)]) {
    if (spelling !== token) masked = masked.split(spelling).join(mark);
  }
  return masked;
}

/**
 * A URL (absolute or a request path) safe for a log line: a non-empty
 * `access_token` value (the key in any encoding), any password in the
 * user-info part, and, when the configured `token` is given, that token
 * wherever it appears, are masked.
 */
export function redactUrl(url: string | URL, token = ''): string {
  const masked = String(url)
    .replace(accessTokenInUrl, `$1$2${redactedMark}`)
    .replace(/^([a-z][a-z0-9+.-]*:\/\/[^/?#:@]*:)[^/?#@]+@/i, `$1${redactedMark}@`);
  return maskTokenValue(masked, token, redactedMark);
}

/**
 * Free text (a frame, a body, a reply) safe for a log line: every
 * `access_token=` value (the key in any encoding) and every occurrence of
 * `token` (as is and percent-encoded) become `mark`.
 */
export function redactText(text: string, token: string, mark = redactedMark): string {
  return maskTokenValue(text.replace(accessTokenInText, `$1${mark}`), token, mark);
}

/** Longest body or frame a debug line shows; the rest is counted, not scanned. */
export const DEBUG_TEXT_LIMIT = 16 * 1024;

/**
 * A body or frame for a debug line: cut to `limit` characters, then
 * redacted. Cutting first means nothing from beyond the cut can slide into
 * view as redaction shortens the text, and a 50 MiB body is not scanned; a
 * token that straddles the cut is kept whole, so it is redacted rather than
 * shown in part.
 */
export function redactDebugText(
  text: string,
  token: string,
  mark = redactedMark,
  limit = DEBUG_TEXT_LIMIT,
): string {
  let end = Math.min(text.length, limit);
  if (token !== '' && end < text.length) {
    const straddling = text.indexOf(token, Math.max(0, end - token.length + 1));
    if (straddling !== -1 && straddling < end) end = straddling + token.length;
  }
  const shown = redactText(text.slice(0, end), token, mark);
  return end < text.length ? `${shown}... (${text.length} chars)` : shown;
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
