/**
 * Which browser pages may talk to a listener (protocol.md "Security"). Pure
 * functions, so the WebSocket handshake, CORS and the admin API apply the
 * same rules. A browser always sends `Origin` on a WebSocket handshake and on
 * cross-origin requests; a page cannot forge it. Bots and CLI clients send none.
 */

export interface OriginCheckInput {
  /** The request's `Origin` header; absent for bots and CLI clients. */
  origin: string | string[] | undefined;
  /** The request's `Host` header: a page served by this very listener has `Origin` = scheme + Host. */
  host: string | string[] | undefined;
  /** The adapter's token ('' = none). With a token the token is the guard, so any origin may ask. */
  token: string;
  /** `allowedOrigins` of the adapter: `https://app.example`, or `*` for any origin. */
  allowedOrigins: readonly string[];
  /**
   * The address the connection arrived on (`socket.localAddress`). When it is
   * loopback, the same-host rule only counts for a `Host` that names loopback:
   * a page whose name was rebound to 127.0.0.1 (DNS rebinding) has Origin = Host too.
   */
  localAddress?: string | undefined;
  /**
   * The request's `Sec-Fetch-Site` header. Browsers send no `Origin` on a
   * cross-site GET by an image, script or link, but modern ones do send this:
   * `cross-site` / `same-site` without `Origin` is a foreign page too.
   */
  fetchSite?: string | string[] | undefined;
}

export type OriginVerdict =
  | { allowed: true; because: 'no-origin' | 'token' | 'listed' | 'same-host' }
  /** `origin` is undefined for a cross-site request that carried none (only `Sec-Fetch-Site`). */
  | { allowed: false; origin: string | undefined };

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * `scheme://host[:port]` in lower case without the default port or a
 * trailing slash, as browsers serialise an origin; undefined when it is not
 * an http(s) origin (e.g. the opaque `null` of a sandboxed frame or a file).
 */
export function normaliseOrigin(origin: string): string | undefined {
  let url: URL;
  try {
    url = new URL(origin.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.host === '') return undefined;
  return `${url.protocol}//${url.host}`;
}

/** `Host` (host[:port]) as the URL parser writes it for `scheme`, so default ports and case compare equal. */
function normaliseHostFor(scheme: string, host: string): string | undefined {
  try {
    const url = new URL(`${scheme}//${host.trim()}`);
    return url.pathname === '/' && url.search === '' && url.username === '' ? url.host : undefined;
  } catch {
    return undefined;
  }
}

/** True when `origin` is in `allowedOrigins` (exact, after normalising) or the list holds `*`. */
export function isOriginListed(origin: string, allowedOrigins: readonly string[]): boolean {
  const wanted = normaliseOrigin(origin) ?? origin.trim().toLowerCase();
  return allowedOrigins.some((entry) => {
    const trimmed = entry.trim();
    if (trimmed === '*') return true;
    return (normaliseOrigin(trimmed) ?? trimmed.toLowerCase()) === wanted;
  });
}

/**
 * A host name or address (no port) that can only reach this machine:
 * `localhost` (and `*.localhost`), 127.0.0.0/8, `::1` (brackets optional)
 * and IPv4-mapped `::ffff:127.x.y.z`.
 */
export function isLoopbackAddress(host: string): boolean {
  let name = host.trim().toLowerCase();
  if (name.startsWith('[') && name.endsWith(']')) name = name.slice(1, -1);
  if (name.endsWith('.')) name = name.slice(0, -1);
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (name.startsWith('::ffff:')) name = name.slice('::ffff:'.length);
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)) {
    return name.split('.').every((part) => Number(part) <= 255);
  }
  // Every spelling of ::1 (0:0:0:0:0:0:0:1, ::0001, ...).
  if (name.includes(':') && /^[0:]*:0*1$/.test(name)) return true;
  return false;
}

/** The host name of a `Host` header without its port; IPv6 keeps its brackets off. */
export function hostNameOf(hostHeader: string): string {
  const value = hostHeader.trim();
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    return end === -1 ? value : value.slice(1, end);
  }
  const colon = value.lastIndexOf(':');
  // A bare IPv6 address (no brackets, several colons) has no port.
  if (colon === -1 || value.indexOf(':') !== colon) return value;
  return value.slice(0, colon);
}

/** A `Host` header (`localhost:3000`, `127.0.0.5`, `[::1]:6099`) that names this machine's loopback. */
export function isLoopbackHostHeader(hostHeader: string | undefined): boolean {
  if (hostHeader === undefined || hostHeader.trim() === '') return false;
  return isLoopbackAddress(hostNameOf(hostHeader));
}

/** An IPv4 or IPv6 address literal (a `Host` name no DNS answer can have produced). */
export function isIpLiteral(name: string): boolean {
  if (name.includes(':')) return /^[0-9a-f:.]+$/i.test(name);
  return /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

/**
 * Origin host[:port] = Host, and the Host cannot be a rebound name: a page
 * whose DNS name an attacker re-resolved to this machine (loopback, LAN or a
 * container's address) has Origin = Host too, so only an address literal or
 * a loopback name counts. Pages served under a DNS name must be listed in
 * `allowedOrigins`.
 */
function isSameHost(origin: string, host: string | undefined, localAddress: string | undefined): boolean {
  const normalised = normaliseOrigin(origin);
  if (normalised === undefined || host === undefined) return false;
  const scheme = normalised.slice(0, normalised.indexOf('//'));
  const originHost = normalised.slice(normalised.indexOf('//') + 2);
  if (normaliseHostFor(scheme, host) !== originHost) return false;
  const name = hostNameOf(host);
  if (!isIpLiteral(name) && !isLoopbackAddress(name)) return false;
  return localAddress === undefined || !isLoopbackAddress(localAddress) || isLoopbackHostHeader(host);
}

/**
 * Whether a browser page from `origin` may use this listener: no `Origin`
 * (not a browser) or a token set: yes; otherwise only an origin listed in
 * `allowedOrigins` (`*` = any) or the page's own listener (Origin host[:port]
 * = Host).
 */
export function checkOrigin(input: OriginCheckInput): OriginVerdict {
  const origin = first(input.origin);
  if (origin === undefined || origin.trim() === '') {
    const site = first(input.fetchSite)?.trim().toLowerCase();
    const foreign = site === 'cross-site' || site === 'same-site';
    if (!foreign || input.token !== '' || input.allowedOrigins.some((entry) => entry.trim() === '*')) {
      return { allowed: true, because: 'no-origin' };
    }
    return { allowed: false, origin: undefined };
  }
  if (input.token !== '') return { allowed: true, because: 'token' };
  if (isOriginListed(origin, input.allowedOrigins)) return { allowed: true, because: 'listed' };
  if (isSameHost(origin, first(input.host), input.localAddress))
    return { allowed: true, because: 'same-host' };
  return { allowed: false, origin };
}

/** What `checkRequestOrigin` reads of a request: node's `IncomingMessage` and fastify's request have it. */
export interface OriginRequest {
  headers: {
    origin?: string | string[] | undefined;
    host?: string | string[] | undefined;
    'sec-fetch-site'?: string | string[] | undefined;
  };
  socket: { localAddress?: string | undefined };
}

export interface RequestOriginPolicy {
  token: string;
  allowedOrigins: readonly string[];
  /**
   * Read `Sec-Fetch-Site` too (see `OriginCheckInput.fetchSite`): for a guard
   * that refuses the request. CORS only decides what a page may read, and a
   * browser always sends `Origin` on a WebSocket handshake, so those leave it off.
   */
  fetchSite?: boolean;
}

/** `checkOrigin` for one request: its `Origin`, `Host` and the address it arrived on. */
export function checkRequestOrigin(request: OriginRequest, policy: RequestOriginPolicy): OriginVerdict {
  const { headers } = request;
  return checkOrigin({
    origin: headers.origin,
    host: headers.host,
    token: policy.token,
    allowedOrigins: policy.allowedOrigins,
    localAddress: request.socket.localAddress,
    ...(policy.fetchSite === true ? { fetchSite: headers['sec-fetch-site'] } : {}),
  });
}

/** The sentence a refused page (and the log) gets; the origin is the browser's, never a secret. */
export function originRefusalMessage(origin: string | undefined): string {
  if (origin === undefined) {
    return 'a request from another site is not allowed: set a token, or add "*" to allowedOrigins';
  }
  const shown = origin.length > 200 ? `${origin.slice(0, 200)}...` : origin;
  return `origin ${shown} is not allowed: set a token or add it to allowedOrigins`;
}

/** Origins remembered by `createOriginWarnings`; past it, every refusal is a repeat. */
const MAX_WARNED_ORIGINS = 100;

/**
 * Which refused origins were already logged at warn: a page can retry in a
 * loop, so each origin gets one warn line and its repeats go to debug. At
 * most 100 origins are remembered, so a flood of made-up origins costs no
 * memory and is logged at debug.
 */
export function createOriginWarnings(): { isFirst(origin: string | undefined): boolean } {
  const warned = new Set<string>();
  return {
    isFirst(origin) {
      const key = origin ?? '';
      if (warned.has(key) || warned.size >= MAX_WARNED_ORIGINS) return false;
      warned.add(key);
      return true;
    },
  };
}
