import JSON5 from 'json5';
import { adapterKinds, serverKinds } from './adapter-schema.js';
import { findDuplicateNames, findPortClashes, type Listener, type NamedEntry } from './cross-checks.js';
import { isPlainObject } from './fields.js';
import { resolveGatewaySection } from './gateway-section.js';
import { configInvalidError, describeValue, INLINE_CONFIG_NAME, type ConfigProblem } from './problems.js';
import { resolveEntry, type AdapterFieldTables, type ConfigFields } from './resolve-entry.js';
import type { AdapterConfigByKind, AdapterKind, GatewayConfig, NetworkConfig } from './types.js';

export interface ParseConfigOptions {
  /** The file the text came from; every error message starts with it. */
  fileName?: string;
  /** Adapter packages' own keys by kind, validated with core's (the gateway passes every package's). */
  adapterFields?: AdapterFieldTables;
}

interface ResolvedNetwork {
  network: NetworkConfig;
  named: NamedEntry[];
  listeners: Listener[];
}

function resolveNetwork(
  raw: unknown,
  problems: ConfigProblem[],
  adapterFields: AdapterFieldTables = {},
): ResolvedNetwork {
  if (raw !== undefined && raw !== null && !isPlainObject(raw)) {
    problems.push({
      path: 'network',
      message: `expected an object holding the adapter arrays, got ${describeValue(raw)}`,
    });
  }
  const section = isPlainObject(raw) ? raw : {};
  // Keys NapCat may add later stay where they were (spread: a "__proto__" key stays a plain key).
  const resolved: ResolvedNetwork = { network: { ...section } as NetworkConfig, named: [], listeners: [] };
  for (const kind of adapterKinds) {
    resolved.network[kind] = resolveKind(
      kind,
      section[kind],
      resolved,
      problems,
      adapterFields[kind],
    ) as never;
  }
  return resolved;
}

function resolveKind<K extends AdapterKind>(
  kind: K,
  raw: unknown,
  resolved: ResolvedNetwork,
  problems: ConfigProblem[],
  extraFields: ConfigFields | undefined,
): AdapterConfigByKind[K][] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    problems.push({
      path: `network.${kind}`,
      message: `expected an array of entries, got ${describeValue(raw)}`,
    });
    return [];
  }
  const entries: AdapterConfigByKind[K][] = [];
  raw.forEach((item: unknown, index) => {
    const path = `network.${kind}[${index}]`;
    const entry = resolveEntry(kind, item, path, problems, extraFields);
    if (entry === undefined) return;
    entries.push(entry);
    resolved.named.push({ path, name: entry.name });
    if ((serverKinds as readonly string[]).includes(kind) && entry.enable) {
      const { host, port } = entry as { host: string; port: number };
      resolved.listeners.push({ path, label: `${kind} entry ${JSON.stringify(entry.name)}`, host, port });
    }
  });
  return entries;
}

/**
 * Validate and complete an already-parsed configuration object (for example
 * one the admin API received). Throws one `CONFIG_INVALID` listing every problem.
 */
export function resolveConfig(raw: unknown, options: ParseConfigOptions = {}): GatewayConfig {
  const problems: ConfigProblem[] = [];
  if (!isPlainObject(raw)) {
    problems.push({
      path: '',
      message: `expected an object like {"network": {...}}, got ${describeValue(raw)}`,
    });
    throw configInvalidError(options.fileName ?? INLINE_CONFIG_NAME, problems);
  }
  const { network, named, listeners } = resolveNetwork(raw['network'], problems, options.adapterFields);
  const gateway = resolveGatewaySection(raw['gateway'], problems);
  if (gateway.admin.enable) {
    listeners.push({
      path: 'gateway.admin',
      label: 'the admin API',
      host: gateway.admin.host,
      port: gateway.admin.port,
    });
  }
  findDuplicateNames(named, problems);
  findPortClashes(listeners, problems);
  if (problems.length > 0) throw configInvalidError(options.fileName ?? INLINE_CONFIG_NAME, problems);
  return { ...raw, network, gateway };
}

interface Json5SyntaxError extends SyntaxError {
  lineNumber?: number;
  columnNumber?: number;
}

/**
 * Parse a configuration file's text (JSON or JSON5: comments, trailing
 * commas) into a complete, validated `GatewayConfig`. A NapCat
 * `onebot11.json` loads unchanged; unknown keys are kept at every level.
 */
export function parseConfig(text: string, options: ParseConfigOptions | string = {}): GatewayConfig {
  // A bare string is the file name (the shorthand the first brief announced).
  const file = (typeof options === 'string' ? options : options.fileName) ?? INLINE_CONFIG_NAME;
  if (text.trim() === '' || text.trim() === '\uFEFF') {
    throw configInvalidError(file, [
      { path: '', message: 'the file is empty; it needs at least {"network": {}}' },
    ]);
  }
  let raw: unknown;
  try {
    raw = JSON5.parse(text);
  } catch (error) {
    const syntax = error as Json5SyntaxError;
    const where =
      syntax.lineNumber === undefined ? '' : `line ${syntax.lineNumber}, column ${syntax.columnNumber ?? 0}`;
    const reason = syntax.message.replace(/^JSON5: /, '').replace(/ at \d+:\d+$/, '');
    throw configInvalidError(file, [{ path: where, message: `not valid JSON (or JSON5): ${reason}` }], error);
  }
  return resolveConfig(raw, { ...(typeof options === 'string' ? {} : options), fileName: file });
}
