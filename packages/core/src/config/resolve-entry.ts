import { adapterDefaultNames, adapterSchemas } from './adapter-schema.js';
import { isPlainObject } from './fields.js';
import { configInvalidError, describeValue, type ConfigProblem } from './problems.js';
import { resolveFields } from './resolve-fields.js';
import type { AdapterConfigByKind, AdapterKind } from './types.js';

/** One entry of a `network` array, resolved; problems are recorded, not thrown. */
export function resolveEntry<K extends AdapterKind>(
  kind: K,
  raw: unknown,
  path: string,
  problems: ConfigProblem[],
): AdapterConfigByKind[K] | undefined {
  if (raw === undefined || raw === null) raw = {};
  if (!isPlainObject(raw)) {
    problems.push({ path, message: `expected an object (one ${kind} entry), got ${describeValue(raw)}` });
    return undefined;
  }
  return resolveFields(raw, adapterSchemas[kind], path, problems) as AdapterConfigByKind[K];
}

export interface ResolveAdapterConfigOptions {
  /** Named in error messages. */
  fileName?: string;
  /** Where the entry sits, e.g. `network.websocketServers[1]`; defaults to `websocketServers["<name>"]`. */
  path?: string;
}

/** What an adapter factory accepts: any subset of the entry, values possibly NapCat-style strings. */
export type PartialAdapterConfig<K extends AdapterKind> =
  Partial<AdapterConfigByKind[K]> | Record<string, unknown>;

function defaultEntryPath(kind: AdapterKind, raw: unknown): string {
  const name =
    isPlainObject(raw) && typeof raw['name'] === 'string' ? raw['name'] : adapterDefaultNames[kind];
  return `${kind}[${JSON.stringify(name)}]`;
}

/**
 * One adapter entry with every default filled in and every value coerced,
 * as the adapter factories need it. Throws `CONFIG_INVALID` listing every
 * problem of the entry.
 */
export function resolveAdapterConfig<K extends AdapterKind>(
  kind: K,
  entry?: PartialAdapterConfig<K>,
  options: ResolveAdapterConfigOptions = {},
): AdapterConfigByKind[K] {
  if (!Object.hasOwn(adapterSchemas, kind)) {
    throw configInvalidError(options.fileName, [
      {
        path: '',
        message: `unknown adapter kind ${describeValue(kind)}; expected one of ${Object.keys(adapterSchemas).join(', ')}`,
      },
    ]);
  }
  const problems: ConfigProblem[] = [];
  const resolved = resolveEntry(kind, entry, options.path ?? defaultEntryPath(kind, entry), problems);
  if (resolved === undefined || problems.length > 0) throw configInvalidError(options.fileName, problems);
  return resolved;
}
