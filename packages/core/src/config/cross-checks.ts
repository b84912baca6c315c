import type { ConfigProblem } from './problems.js';

/**
 * Checks across entries, run after every entry is resolved: names must be
 * unique (the admin API, logs and hot reload key adapters by name) and two
 * enabled listeners can't share a host:port (the second would fail with
 * EADDRINUSE at start, far from the line that caused it).
 */

export interface NamedEntry {
  path: string;
  name: string;
}

export function findDuplicateNames(entries: readonly NamedEntry[], problems: ConfigProblem[]): void {
  const firstByName = new Map<string, NamedEntry>();
  for (const entry of entries) {
    const first = firstByName.get(entry.name);
    if (first === undefined) {
      firstByName.set(entry.name, entry);
      continue;
    }
    problems.push({
      path: `${entry.path}.name`,
      message: `duplicate name ${JSON.stringify(entry.name)} (also used by ${first.path}); every entry in every network array needs its own name`,
    });
  }
}

export interface Listener {
  path: string;
  label: string;
  host: string;
  port: number;
}

// Binding one of these takes the port on every interface, so it clashes with any host.
const wildcardHosts = new Set(['', '0.0.0.0', '::', '[::]']);

function hostsOverlap(a: string, b: string): boolean {
  const left = a.trim().toLowerCase();
  const right = b.trim().toLowerCase();
  return left === right || wildcardHosts.has(left) || wildcardHosts.has(right);
}

export function findPortClashes(listeners: readonly Listener[], problems: ConfigProblem[]): void {
  listeners.forEach((listener, index) => {
    // Port 0 means "any free port": the OS never hands out the same one twice.
    if (listener.port === 0) return;
    const earlier = listeners
      .slice(0, index)
      .find((other) => other.port === listener.port && hostsOverlap(other.host, listener.host));
    if (earlier === undefined) return;
    problems.push({
      path: `${listener.path}.port`,
      message:
        `${listener.label} would listen on ${listener.host || '*'}:${listener.port}, which ${earlier.label} (${earlier.path}) already uses; ` +
        'give one of them another port or disable one',
    });
  });
}
