/** How many wrong tokens one address may send per window before it is refused for the rest of it. */
export interface LoginLimiterOptions {
  maxFailures: number;
  windowMs: number;
  /** Addresses remembered at once; the oldest is forgotten past it, so a spray of addresses costs bounded memory. */
  maxAddresses: number;
  now?: () => number;
}

export interface LoginLimiter {
  /** Milliseconds until `address` may try again, or 0 when it may now. */
  retryAfterMs(address: string): number;
  /** A wrong token from `address`. */
  fail(address: string): void;
}

export const DEFAULT_LOGIN_LIMIT: LoginLimiterOptions = {
  maxFailures: 10,
  windowMs: 60_000,
  maxAddresses: 10_000,
};

/**
 * Failed logins per client address, in fixed windows: a token cannot be
 * guessed through the dashboard's login (or any admin route) faster than
 * `maxFailures` per `windowMs` from one address.
 */
export function createLoginLimiter(options: LoginLimiterOptions = DEFAULT_LOGIN_LIMIT): LoginLimiter {
  const now = options.now ?? Date.now;
  // Map keeps insertion order: the first key is the oldest window.
  const windows = new Map<string, { startedAt: number; failures: number }>();
  function current(address: string) {
    const entry = windows.get(address);
    if (entry && now() - entry.startedAt >= options.windowMs) {
      windows.delete(address);
      return undefined;
    }
    return entry;
  }
  return {
    retryAfterMs(address) {
      const entry = current(address);
      if (!entry || entry.failures < options.maxFailures) return 0;
      return Math.max(1, entry.startedAt + options.windowMs - now());
    },
    fail(address) {
      const entry = current(address);
      if (entry) {
        entry.failures += 1;
        return;
      }
      if (windows.size >= options.maxAddresses) {
        const oldest = windows.keys().next().value;
        if (oldest !== undefined) windows.delete(oldest);
      }
      windows.set(address, { startedAt: now(), failures: 1 });
    },
  };
}
