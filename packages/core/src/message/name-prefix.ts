/**
 * The text the encoder writes for a valid name: a type becomes `[CQ:type`,
 * a key becomes `,key=`. Types and keys repeat in every message, so one map
 * lookup on an (internalised, hash-cached) name replaces both the character
 * check and the string concatenations around the name; the encoder then
 * appends one cached prefix and one value per parameter (bench/index.ts:
 * about a third of the escape-free encoding time).
 *
 * Internal to the codec (not exported from the package). Bounded in count
 * and name length, so hostile input cannot grow the caches; names past the
 * bound are still checked and written correctly, only not cached.
 */
import { isCqName } from './cq-name.js';

const typePrefixes = new Map<string, string>();
const keyPrefixes = new Map<string, string>();
const CACHE_LIMIT = 1024;
const CACHED_NAME_MAX_LENGTH = 64;

function remember(cache: Map<string, string>, name: string, text: string): string {
  if (cache.size < CACHE_LIMIT && name.length <= CACHED_NAME_MAX_LENGTH) cache.set(name, text);
  return text;
}

/** `[CQ:type` for a valid type name, undefined for an invalid one. */
export function codePrefix(type: string): string | undefined {
  const cached = typePrefixes.get(type);
  if (cached !== undefined) return cached;
  return isCqName(type) ? remember(typePrefixes, type, '[CQ:' + type) : undefined;
}

/** `,key=` for a valid key name, undefined for an invalid one. */
export function paramPrefix(key: string): string | undefined {
  const cached = keyPrefixes.get(key);
  if (cached !== undefined) return cached;
  return isCqName(key) ? remember(keyPrefixes, key, ',' + key + '=') : undefined;
}
