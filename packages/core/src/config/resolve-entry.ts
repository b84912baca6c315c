import { adapterDefaultNames, adapterSchemas } from './adapter-schema.js';
import { isPlainObject, type ConfigField } from './fields.js';
import { configInvalidError, describeValue, type ConfigProblem } from './problems.js';
import { resolveFields } from './resolve-fields.js';
import type { AdapterConfigByKind, AdapterKind } from './types.js';

/** A table of config fields by key. */
export type ConfigFields = { readonly [key: string]: ConfigField };

/**
 * Keys an adapter package reads besides core's, by kind (e.g. http-client's
 * `stopTimeout`): each package owns its table (its `config-fields` module)
 * and whoever loads a config (the gateway) hands them in, so they are
 * validated with the rest of the file.
 */
export type AdapterFieldTables = { readonly [K in AdapterKind]?: ConfigFields };

/** One entry of a `network` array, resolved; problems are recorded, not thrown. */
export function resolveEntry<K extends AdapterKind>(
  kind: K,
  raw: unknown,
  path: string,
  problems: ConfigProblem[],
  extraFields?: ConfigFields,
): AdapterConfigByKind[K] | undefined {
  if (raw === undefined || raw === null) raw = {};
  if (!isPlainObject(raw)) {
    problems.push({ path, message: `expected an object (one ${kind} entry), got ${describeValue(raw)}` });
    return undefined;
  }
  const fields =
    extraFields === undefined ? adapterSchemas[kind] : { ...adapterSchemas[kind], ...extraFields };
  return resolveFields(raw, fields, path, problems) as AdapterConfigByKind[K];
}

export interface ResolveAdapterConfigOptions {
  /** Named in error messages. */
  fileName?: string;
  /** Where the entry sits, e.g. `network.websocketServers[1]`; defaults to `websocketServers["<name>"]`. */
  path?: string;
  /** The adapter package's own keys, validated with core's. */
  extraFields?: ConfigFields;
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
  const path = options.path ?? defaultEntryPath(kind, entry);
  const resolved = resolveEntry(kind, entry, path, problems, options.extraFields);
  if (resolved === undefined || problems.length > 0) throw configInvalidError(options.fileName, problems);
  return resolved;
}
