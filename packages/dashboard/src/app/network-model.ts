import { defaultsOf, isTruthy, schemaFromValue, validate, type JsonSchema } from './schema.js';

export const KINDS = [
  'httpServers',
  'httpSseServers',
  'websocketServers',
  'httpClients',
  'websocketClients',
  'plugins',
] as const;
export type Kind = (typeof KINDS)[number];
const SERVER_KINDS: readonly Kind[] = ['httpServers', 'httpSseServers', 'websocketServers'];

export type Entry = Record<string, unknown>;
export type ConfigFile = Record<string, unknown> & { network?: Partial<Record<Kind, Entry[]>> };

/** The admin API's mask for a secret it will not show; sent back it means "keep the current one". */
export const MASK = '********';
const SECRET_KEY = /(token|secret|pass|passwd|password|api[-_]?key|private[-_]?key|cookies?|credentials?)$/i;

// Used only when the gateway has no /api/schema: the kinds' documented defaults.
const FALLBACK_DEFAULTS: Record<Kind, Entry> = {
  httpServers: {
    name: 'http-server',
    enable: true,
    host: '127.0.0.1',
    port: 3000,
    enableCors: true,
    enableWebsocket: false,
    messagePostFormat: 'array',
    token: '',
    debug: false,
  },
  httpSseServers: {
    name: 'http-sse-server',
    enable: true,
    host: '127.0.0.1',
    port: 3002,
    enableCors: true,
    enableWebsocket: false,
    messagePostFormat: 'array',
    token: '',
    reportSelfMessage: false,
    debug: false,
  },
  websocketServers: {
    name: 'websocket-server',
    enable: true,
    host: '127.0.0.1',
    port: 3001,
    messagePostFormat: 'array',
    reportSelfMessage: false,
    token: '',
    enableForcePushEvent: true,
    debug: false,
    heartInterval: 30000,
  },
  httpClients: {
    name: 'http-client',
    enable: true,
    url: 'http://localhost:8080',
    messagePostFormat: 'array',
    reportSelfMessage: false,
    token: '',
    debug: false,
  },
  websocketClients: {
    name: 'websocket-client',
    enable: true,
    url: 'ws://localhost:8082',
    messagePostFormat: 'array',
    reportSelfMessage: false,
    reconnectInterval: 5000,
    token: '',
    debug: false,
    heartInterval: 30000,
  },
  plugins: {
    name: 'plugin',
    enable: true,
    module: '',
    messagePostFormat: 'array',
    reportSelfMessage: false,
    debug: false,
    options: {},
  },
};

/** The edit form's schema for one entry: the gateway's, or one read off the entry when it has none. */
export function entrySchema(kind: Kind, entry: Entry, config: JsonSchema | undefined): JsonSchema {
  const own = config?.definitions?.[kind];
  if (own) return own;
  const guessed = schemaFromValue({ ...FALLBACK_DEFAULTS[kind], ...entry });
  for (const [key, property] of Object.entries(guessed.properties ?? {})) {
    if (SECRET_KEY.test(key) && property.type === 'string') property.writeOnly = true;
    if (key in FALLBACK_DEFAULTS[kind]) property.default = FALLBACK_DEFAULTS[kind][key];
  }
  return guessed;
}

export function newEntry(kind: Kind, config: JsonSchema | undefined, taken: Set<string>): Entry {
  const own = config?.definitions?.[kind];
  const entry = own ? defaultsOf(own, config) : structuredClone(FALLBACK_DEFAULTS[kind]);
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
    KINDS.flatMap((kind) => (config.network?.[kind] ?? []).map((entry) => String(entry.name ?? ''))),
  );
}

const WILDCARD = new Set(['0.0.0.0', '::', '']);

/**
 * What the browser can catch before a save, by the path the server would name:
 * schema problems, a name used twice, two enabled servers on one host:port.
 */
export function localProblems(config: ConfigFile, schema: JsonSchema | undefined): Record<string, string> {
  const problems: Record<string, string> = {};
  const byName = new Map<string, string>();
  const byPort = new Map<number, Array<{ host: string; path: string; name: string }>>();
  for (const kind of KINDS) {
    (config.network?.[kind] ?? []).forEach((entry, index) => {
      const path = `network.${kind}[${index}]`;
      Object.assign(problems, validate(entrySchema(kind, entry, schema), entry, path, schema));
      const name = String(entry.name ?? '');
      if (name.trim() === '') problems[`${path}.name`] = 'a name is required';
      else if (byName.has(name))
        problems[`${path}.name`] = `the name "${name}" is already used by ${byName.get(name)}`;
      else byName.set(name, path);
      // An entry without `enable` is off, as the parser reads it.
      if (!SERVER_KINDS.includes(kind) || !isTruthy(entry.enable)) return;
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
