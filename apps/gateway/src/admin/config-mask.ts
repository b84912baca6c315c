import type { ConfigProblem } from '@onebot-gateway/core';
import { adapterKinds } from '@onebot-gateway/core';
import { isPlainObject } from '@onebot-gateway/core/internal';

/** What `GET /api/config` shows in place of every secret; sent back unchanged, it means "keep the current one". */
export const SECRET_MASK = '********';

/**
 * Keys whose string value is a secret, wherever they sit in the file, by
 * suffix and in any case: `token`, `access_token`, `botToken`, `clientSecret`,
 * `dbPassword`, `x-api-key`, `private_key`, `cookie`, `credentials`, ... A
 * harmless key caught too (`bypass`) is only masked and restored.
 */
const SECRET_KEY = /(token|secret|pass|passwd|password|api[-_]?key|private[-_]?key|cookies?|credentials?)$/i;
/** `access_token=` in a URL (a reverse WebSocket URL may carry its token there). */
const URL_TOKEN = /([?&]access_token=)([^&#]*)/gi;
/**
 * The password of a URL's user-info (`https://user:pass@host`): the shape
 * core's redactUrl masks for logs, here with SECRET_MASK so it can come back.
 */
const URL_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/[^/?#:@\s]*:)([^/?#@\s]*)@/i;

type Json = unknown;

/** Plain assignment would turn a "__proto__" key of the file into a prototype change. */
function setOwn(target: Record<string, Json>, key: string, value: Json): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function maskUrlTokens(text: string): string {
  return text
    .replace(URL_TOKEN, (_whole, prefix: string, value: string) =>
      value === '' ? prefix : `${prefix}${SECRET_MASK}`,
    )
    .replace(URL_PASSWORD, (whole, prefix: string, value: string) =>
      value === '' ? whole : `${prefix}${SECRET_MASK}@`,
    );
}

/**
 * A copy of the raw config with every secret replaced by SECRET_MASK: the
 * strings under a SECRET_KEY key (also in an array), `access_token=` in URLs
 * and the password of a URL's user-info. An empty secret stays empty, so
 * "no token set" stays visible.
 */
export function maskSecrets(value: Json, secretKey = false): Json {
  if (Array.isArray(value)) return value.map((item) => maskSecrets(item, secretKey));
  if (isPlainObject(value)) {
    const masked: Record<string, Json> = {};
    for (const [key, child] of Object.entries(value)) {
      setOwn(masked, key, maskSecrets(child, SECRET_KEY.test(key)));
    }
    return masked;
  }
  if (typeof value !== 'string') return value;
  return secretKey && value !== '' ? SECRET_MASK : maskUrlTokens(value);
}

interface CurrentEntry {
  kind: string;
  entry: Json;
}

/** Adapter entries of the current file by name, with their kind (first of a name wins). */
function currentEntriesByName(current: Json): Map<string, CurrentEntry> {
  const byName = new Map<string, CurrentEntry>();
  const network = isPlainObject(current) ? current['network'] : undefined;
  if (!isPlainObject(network)) return byName;
  for (const kind of adapterKinds) {
    const entries = network[kind];
    if (!Array.isArray(entries)) continue;
    for (const entry of entries) {
      if (isPlainObject(entry) && typeof entry['name'] === 'string' && !byName.has(entry['name'])) {
        byName.set(entry['name'], { kind, entry });
      }
    }
  }
  return byName;
}

function urlTokens(text: string): string[] {
  return [...text.matchAll(URL_TOKEN)].map((match) => match[2] ?? '');
}

interface Restorer {
  problems: ConfigProblem[];
  byName: Map<string, CurrentEntry>;
}

/**
 * Why the masks of a record must not be restored: its destination (`url`)
 * is not the current one, so the kept secret would go to a new place (a
 * masked token sent to `ws://evil/`). URLs compare with their secrets masked,
 * so a URL sent back as GET showed it is unchanged.
 */
function destinationChange(next: Record<string, Json>, current: Json): string | undefined {
  if (!isPlainObject(current) || !Object.hasOwn(next, 'url')) return undefined;
  const nextUrl = next['url'];
  const currentUrl = Object.hasOwn(current, 'url') ? current['url'] : undefined;
  if (typeof nextUrl === 'string' && typeof currentUrl === 'string') {
    if (maskUrlTokens(nextUrl) === maskUrlTokens(currentUrl)) return undefined;
  } else if (nextUrl === currentUrl) {
    return undefined;
  }
  return "retype the token: the entry's url changed";
}

function blockedProblem(path: string, blocked: string): ConfigProblem {
  return {
    path,
    message: `is "${SECRET_MASK}" (keep the current value), which is not kept here: ${blocked}`,
  };
}

function urlPassword(text: string): string | undefined {
  return URL_PASSWORD.exec(text)?.[2];
}

function restoreString(
  text: string,
  current: Json,
  path: string,
  secretKey: boolean,
  r: Restorer,
  blocked: string | undefined,
): string {
  if (secretKey && text === SECRET_MASK) {
    if (blocked !== undefined) {
      r.problems.push(blockedProblem(path, blocked));
      return text;
    }
    if (typeof current === 'string' && current !== '') return current;
    r.problems.push({
      path,
      message: `is "${SECRET_MASK}" (the mask for "keep the current value") but there is no current value to keep; type the secret, or "" for none`,
    });
    return text;
  }
  if (!text.includes(SECRET_MASK)) return text;
  const hasMaskedToken = [...text.matchAll(URL_TOKEN)].some((match) => match[2] === SECRET_MASK);
  const hasMaskedPassword = urlPassword(text) === SECRET_MASK;
  if (!hasMaskedToken && !hasMaskedPassword) return text;
  if (blocked !== undefined) {
    r.problems.push(blockedProblem(path, blocked));
    return text;
  }
  // A URL whose access_token was masked gets the token of the current URL back, in order.
  const currentText = typeof current === 'string' ? current : '';
  const kept = urlTokens(currentText);
  let index = 0;
  let missing = false;
  let restored = text.replace(URL_TOKEN, (whole, prefix: string, value: string) => {
    const keptValue = kept[index++];
    if (value !== SECRET_MASK) return whole;
    if (keptValue === undefined || keptValue === '' || keptValue === SECRET_MASK) {
      missing = true;
      return whole;
    }
    return `${prefix}${keptValue}`;
  });
  if (hasMaskedPassword) {
    const keptPassword = urlPassword(currentText);
    if (keptPassword === undefined || keptPassword === '' || keptPassword === SECRET_MASK) missing = true;
    else restored = restored.replace(URL_PASSWORD, (_whole, prefix: string) => `${prefix}${keptPassword}@`);
  }
  if (missing) {
    r.problems.push({
      path,
      message: `holds a URL secret masked as ${SECRET_MASK} (the mask for "keep the current value") but the current URL has none to keep; type it`,
    });
  }
  return restored;
}

function restoreNode(
  next: Json,
  current: Json,
  path: string,
  secretKey: boolean,
  r: Restorer,
  blocked?: string,
): Json {
  if (typeof next === 'string') return restoreString(next, current, path, secretKey, r, blocked);
  if (Array.isArray(next)) {
    const currentArray = Array.isArray(current) ? current : [];
    return next.map((item, index) =>
      restoreNode(item, currentArray[index], `${path}[${index}]`, secretKey, r, blocked),
    );
  }
  if (!isPlainObject(next)) return next;
  const currentRecord = isPlainObject(current) ? current : {};
  const blockedHere = blocked ?? destinationChange(next, current);
  const restored: Record<string, Json> = {};
  for (const [key, child] of Object.entries(next)) {
    const childPath = path === '' ? key : `${path}.${key}`;
    setOwn(
      restored,
      key,
      restoreNode(
        child,
        Object.hasOwn(currentRecord, key) ? currentRecord[key] : undefined,
        childPath,
        SECRET_KEY.test(key),
        r,
        blockedHere,
      ),
    );
  }
  return restored;
}

/** An adapter entry against the current one of its name: its masks are kept only when its kind is the same. */
function restoreEntry(entry: Json, kind: string, path: string, r: Restorer): Json {
  const name = isPlainObject(entry) ? entry['name'] : undefined;
  const found = typeof name === 'string' ? r.byName.get(name) : undefined;
  if (found === undefined) return restoreNode(entry, undefined, path, false, r);
  const moved =
    found.kind === kind
      ? undefined
      : `retype the token: the entry moved from network.${found.kind} to network.${kind}`;
  return restoreNode(entry, found.entry, path, false, r, moved);
}

/**
 * The config to write: `next` (as the admin API received it) with every
 * masked secret replaced by the current file's value at the same place.
 * Adapter entries are matched by name, everything else by path. A mask is
 * kept only where the secret keeps its destination: an entry of the same
 * kind, a record (client, `gateway.backend`) whose `url` is unchanged;
 * anywhere else, or with nothing to keep, it is a problem at its path.
 */
export function restoreMaskedSecrets(next: Json, current: Json): { config: Json; problems: ConfigProblem[] } {
  const r: Restorer = { problems: [], byName: currentEntriesByName(current) };
  if (!isPlainObject(next)) return { config: next, problems: [] };
  const restored: Record<string, Json> = {};
  for (const [key, child] of Object.entries(next)) {
    const currentChild = isPlainObject(current) ? current[key] : undefined;
    if (key === 'network' && isPlainObject(child)) {
      const network: Record<string, Json> = {};
      for (const [kind, entries] of Object.entries(child)) {
        const path = `network.${kind}`;
        const currentKind = isPlainObject(currentChild) ? currentChild[kind] : undefined;
        setOwn(
          network,
          kind,
          (adapterKinds as readonly string[]).includes(kind) && Array.isArray(entries)
            ? entries.map((entry, index) => restoreEntry(entry, kind, `${path}[${index}]`, r))
            : restoreNode(entries, currentKind, path, SECRET_KEY.test(kind), r),
        );
      }
      setOwn(restored, key, network);
    } else {
      setOwn(restored, key, restoreNode(child, currentChild, key, SECRET_KEY.test(key), r));
    }
  }
  return { config: restored, problems: r.problems };
}
