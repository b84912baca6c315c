import { defaultsOf, isTruthy, resolve, validate, type JsonSchema } from './schema.js';

/** A key under `network`: `httpServers`, `websocketClients`, `natsBridges`, ... as the served schema lists them. */
export type Kind = string;
export type Entry = Record<string, unknown>;
export type ConfigFile = Record<string, unknown> & { network?: Record<Kind, Entry[] | undefined> };

/** The admin API's mask for a secret it will not show; sent back it means "keep the current one". */
export const MASK = '********';

/**
 * The adapter kinds, in the schema's order: every array under `network`
 * whose items are entries. The schema is the one list, so a kind a package
 * adds (NATS bridges) gets its cards with no change here.
 */
export function kindsOf(config: JsonSchema): Kind[] {
  return Object.entries(config.properties?.network?.properties ?? {})
    .filter(([, list]) => list.items !== undefined && resolve(list.items, config).properties !== undefined)
    .map(([kind]) => kind);
}

/** One entry's schema: its kind's definition, with every field's type, range, default and `writeOnly`. */
export function entrySchema(kind: Kind, config: JsonSchema): JsonSchema {
  const items = config.properties?.network?.properties?.[kind]?.items;
  return items ? resolve(items, config) : { type: 'object' };
}

/** A kind whose entries listen on `host:port` (the servers), which two enabled entries must not share. */
function listens(kind: Kind, config: JsonSchema): boolean {
  const properties = entrySchema(kind, config).properties ?? {};
  return 'host' in properties && 'port' in properties;
}

/** A new entry of a kind: every default the schema gives, under a name not taken yet. */
export function newEntry(kind: Kind, config: JsonSchema, taken: Set<string>): Entry {
  const entry = defaultsOf(entrySchema(kind, config), config);
  entry.name = uniqueName(String(entry.name ?? kind), taken);
  return entry;
}

export function uniqueName(base: string, taken: Set<string>): string {
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

/** A copy under a new name; masked secrets are emptied, as the server keeps a mask only for the entry it came from. */
export function duplicate(entry: Entry, taken: Set<string>): Entry {
  const copy = structuredClone(entry);
  for (const key of Object.keys(copy)) if (copy[key] === MASK) copy[key] = '';
  copy.name = uniqueName(`${String(entry.name)}-copy`, taken);
  return copy;
}

export function allNames(config: ConfigFile): Set<string> {
  return new Set(
    Object.values(config.network ?? {}).flatMap((entries) =>
      Array.isArray(entries) ? entries.map((entry) => String(entry.name ?? '')) : [],
    ),
  );
}

const WILDCARD = new Set(['0.0.0.0', '::', '']);

/**
 * What the browser can catch before a save, by the path the server would name:
 * schema problems, a name used twice, two enabled servers on one host:port.
 */
export function localProblems(config: ConfigFile, schema: JsonSchema): Record<string, string> {
  const problems: Record<string, string> = {};
  const byName = new Map<string, string>();
  const byPort = new Map<number, Array<{ host: string; path: string; name: string }>>();
  for (const kind of kindsOf(schema)) {
    const server = listens(kind, schema);
    const list: unknown = config.network?.[kind];
    if (!Array.isArray(list)) continue;
    list.forEach((item: unknown, index) => {
      const path = `network.${kind}[${index}]`;
      // An imported file may hold anything: the server names the same path.
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        problems[path] = 'expected an object';
        return;
      }
      const entry = item as Entry;
      Object.assign(problems, validate(entrySchema(kind, schema), entry, path, schema));
      const name = String(entry.name ?? '');
      if (name.trim() === '') problems[`${path}.name`] = 'a name is required';
      else if (byName.has(name))
        problems[`${path}.name`] = `the name "${name}" is already used by ${byName.get(name)}`;
      else byName.set(name, path);
      // An entry without `enable` is off, as the parser reads it.
      if (!server || !isTruthy(entry.enable)) return;
      const port = Number(entry.port);
      if (!Number.isInteger(port) || port === 0) return;
      const host = String(entry.host ?? '');
      const others = byPort.get(port) ?? [];
      const clash = others.find(
        (other) => other.host === host || WILDCARD.has(other.host) || WILDCARD.has(host),
      );
      if (clash)
        problems[`${path}.port`] = `${host}:${port} clashes with "${clash.name}" (${clash.host}:${port})`;
      others.push({ host, path, name });
      byPort.set(port, others);
    });
  }
  return problems;
}
