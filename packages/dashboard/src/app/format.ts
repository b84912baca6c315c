/** `3m 5s`, `2h 10m`, `1d 4h 0m`: a span of whole seconds, as the overview shows ages and uptime. */
export function duration(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const d = Math.floor(whole / 86400);
  const h = Math.floor((whole % 86400) / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  return d > 0 ? `${d}d ${h}h ${m}m` : h > 0 ? `${h}h ${m}m` : `${m}m ${s}s`;
}

/** Whole seconds from `now` until the ISO time `at` (0 once it has passed); undefined for a time that does not parse. */
export function secondsUntil(at: string, now: number): number | undefined {
  const due = Date.parse(at);
  if (Number.isNaN(due)) return undefined;
  return Math.max(0, Math.ceil((due - now) / 1000));
}

/** Whole seconds since the ISO time `at`; undefined for a time that does not parse. */
export function secondsSince(at: string, now: number): number | undefined {
  const since = Date.parse(at);
  if (Number.isNaN(since)) return undefined;
  return Math.max(0, Math.floor((now - since) / 1000));
}
