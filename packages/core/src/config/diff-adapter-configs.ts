import { adapterEntries, type AdapterEntry } from './adapter-entries.js';
import type { AdapterConfigByKind, AdapterKind, GatewayConfig } from './types.js';

export type ChangedAdapterEntry = {
  [K in AdapterKind]: {
    kind: K;
    name: string;
    previous: AdapterConfigByKind[K];
    next: AdapterConfigByKind[K];
    /** Top-level keys whose value differs, e.g. ["port"] or ["enable"]. */
    changedKeys: string[];
  };
}[AdapterKind];

export interface AdapterConfigDiff {
  added: AdapterEntry[];
  removed: AdapterEntry[];
  changed: ChangedAdapterEntry[];
  unchanged: AdapterEntry[];
}

// Iterative, so a deeply nested unknown key can't overflow the stack during a reload.
function isDeepEqual(left: unknown, right: unknown): boolean {
  const pending: Array<[unknown, unknown]> = [[left, right]];
  while (pending.length > 0) {
    const [a, b] = pending.pop() as [unknown, unknown];
    if (Object.is(a, b)) continue;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    const aRecord = a as Record<string, unknown>;
    const bRecord = b as Record<string, unknown>;
    const aKeys = Object.keys(aRecord);
    if (aKeys.length !== Object.keys(bRecord).length) return false;
    for (const key of aKeys) {
      if (!Object.hasOwn(bRecord, key)) return false;
      pending.push([aRecord[key], bRecord[key]]);
    }
  }
  return true;
}

function changedKeysOf(previous: Record<string, unknown>, next: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(previous), ...Object.keys(next)]);
  return [...keys].filter((key) => !isDeepEqual(previous[key], next[key]));
}

function toEntries(source: GatewayConfig | readonly AdapterEntry[]): readonly AdapterEntry[] {
  return Array.isArray(source) ? source : adapterEntries(source as GatewayConfig);
}

/**
 * What hot reload has to do, keyed by entry name: entries only in `next` are
 * added, only in `previous` removed, and the rest changed (any key, unknown
 * keys included) or unchanged. An entry whose kind changed under the same
 * name is removed and added, since a different factory has to run it.
 * Pass whole configs, or entry lists (e.g. only the enabled ones).
 */
export function diffAdapterConfigs(
  previous: GatewayConfig | readonly AdapterEntry[],
  next: GatewayConfig | readonly AdapterEntry[],
): AdapterConfigDiff {
  const previousByName = new Map(toEntries(previous).map((entry) => [entry.config.name, entry]));
  const diff: AdapterConfigDiff = { added: [], removed: [], changed: [], unchanged: [] };
  const seen = new Set<string>();
  for (const entry of toEntries(next)) {
    const name = entry.config.name;
    seen.add(name);
    const before = previousByName.get(name);
    if (before === undefined) {
      diff.added.push(entry);
    } else if (before.kind !== entry.kind) {
      diff.removed.push(before);
      diff.added.push(entry);
    } else {
      const changedKeys = changedKeysOf(before.config, entry.config);
      if (changedKeys.length === 0) diff.unchanged.push(entry);
      else
        diff.changed.push({
          kind: entry.kind,
          name,
          previous: before.config,
          next: entry.config,
          changedKeys,
        } as ChangedAdapterEntry);
    }
  }
  for (const [name, entry] of previousByName) {
    if (!seen.has(name)) diff.removed.push(entry);
  }
  return diff;
}
