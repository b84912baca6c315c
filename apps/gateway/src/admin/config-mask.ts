import type { ConfigProblem } from '@onebot-gateway/core';
import { adapterKinds } from '@onebot-gateway/core';

/** What `GET /api/config` shows in place of every secret; sent back unchanged, it means "keep the current one". */
export const SECRET_MASK = '********';

/** Keys whose string value is a secret, wherever they sit in the file. */
const SECRET_KEY = /^(token|access_token|pass|passwd|password|secret)$/i;
/** `access_token=` in a URL (a reverse WebSocket URL may carry its token there). */
const URL_TOKEN = /([?&]access_token=)([^&#]*)/gi;

type Json = unknown;

function isRecord(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Plain assignment would turn a "__proto__" key of the file into a prototype change. */
function setOwn(target: Record<string, Json>, key: string, value: Json): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function maskUrlTokens(text: string): string {
  return text.replace(URL_TOKEN, (_whole, prefix: string, value: string) =>
    value === '' ? prefix : `${prefix}${SECRET_MASK}`,
  );
}

/**
 * A copy of the raw config with every secret replaced by SECRET_MASK: keys
 * named token, password, pass, secret, access_token, and `access_token=` in
 * URLs. An empty secret stays empty, so "no token set" stays visible.
 */
export function maskSecrets(value: Json): Json {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (isRecord(value)) {
    const masked: Record<string, Json> = {};
    for (const [key, child] of Object.entries(value)) {
      setOwn(
        masked,
        key,
        SECRET_KEY.test(key) && typeof child === 'string' && child !== '' ? SECRET_MASK : maskSecrets(child),
      );
    }
    return masked;
  }
  return typeof value === 'string' ? maskUrlTokens(value) : value;
}

/** Adapter entries of the current file by name, across kinds: an entry keeps its secrets when it moves. */
function currentEntriesByName(current: Json): Map<string, Json> {
  const byName = new Map<string, Json>();
  const network = isRecord(current) ? current['network'] : undefined;
  if (!isRecord(network)) return byName;
  for (const kind of adapterKinds) {
    const entries = network[kind];
    if (!Array.isArray(entries)) continue;
    for (const entry of entries) {
      if (isRecord(entry) && typeof entry['name'] === 'string' && !byName.has(entry['name'])) {
        byName.set(entry['name'], entry);
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
  byName: Map<string, Json>;
}

function restoreString(text: string, current: Json, path: string, secretKey: boolean, r: Restorer): string {
  if (secretKey && text === SECRET_MASK) {
    if (typeof current === 'string' && current !== '') return current;
    r.problems.push({
      path,
      message: `is "${SECRET_MASK}" (the mask for "keep the current value") but there is no current value to keep; type the secret, or "" for none`,
    });
    return text;
  }
  if (!text.includes(SECRET_MASK)) return text;
  // A URL whose access_token was masked gets the token of the current URL back, in order.
  const kept = typeof current === 'string' ? urlTokens(current) : [];
  let index = 0;
  let missing = false;
  const restored = text.replace(URL_TOKEN, (whole, prefix: string, value: string) => {
    const keptValue = kept[index++];
    if (value !== SECRET_MASK) return whole;
    if (keptValue === undefined || keptValue === '' || keptValue === SECRET_MASK) {
      missing = true;
      return whole;
    }
    return `${prefix}${keptValue}`;
  });
  if (missing) {
    r.problems.push({
      path,
      message: `holds access_token=${SECRET_MASK} (the mask for "keep the current value") but the current URL has no token to keep; type the token`,
    });
  }
  return restored;
}

function restoreNode(next: Json, current: Json, path: string, secretKey: boolean, r: Restorer): Json {
  if (typeof next === 'string') return restoreString(next, current, path, secretKey, r);
  if (Array.isArray(next)) {
    const currentArray = Array.isArray(current) ? current : [];
    return next.map((item, index) => restoreNode(item, currentArray[index], `${path}[${index}]`, false, r));
  }
  if (!isRecord(next)) return next;
  const currentRecord = isRecord(current) ? current : {};
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
      ),
    );
  }
  return restored;
}

/**
 * The config to write: `next` (as the admin API received it) with every
 * masked secret replaced by the current file's value at the same place.
 * Adapter entries are matched by name (across kinds), everything else by
 * path. A mask with nothing to keep is a problem at its path.
 */
export function restoreMaskedSecrets(next: Json, current: Json): { config: Json; problems: ConfigProblem[] } {
  const r: Restorer = { problems: [], byName: currentEntriesByName(current) };
  if (!isRecord(next)) return { config: next, problems: [] };
  const restored: Record<string, Json> = {};
  for (const [key, child] of Object.entries(next)) {
    const currentChild = isRecord(current) ? current[key] : undefined;
    if (key === 'network' && isRecord(child)) {
      const network: Record<string, Json> = {};
      for (const [kind, entries] of Object.entries(child)) {
        const path = `network.${kind}`;
        const currentKind = isRecord(currentChild) ? currentChild[kind] : undefined;
        setOwn(
          network,
          kind,
          (adapterKinds as readonly string[]).includes(kind) && Array.isArray(entries)
            ? entries.map((entry, index) =>
                restoreNode(
                  entry,
                  isRecord(entry) && typeof entry['name'] === 'string'
                    ? r.byName.get(entry['name'])
                    : undefined,
                  `${path}[${index}]`,
                  false,
                  r,
                ),
              )
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
