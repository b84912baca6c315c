/**
 * Which characters may appear in a CQ type or parameter key (protocol.md
 * section 5): ASCII letters, digits, `-`, `_` and `.`. A lookup table keeps
 * the scanner's inner loop to one array read per character.
 */
const NAME_CHARS = new Uint8Array(128);
for (let code = 0; code < 128; code++) {
  const char = String.fromCharCode(code);
  if (/[A-Za-z0-9_.-]/.test(char)) NAME_CHARS[code] = 1;
}

export function isCqNameChar(code: number): boolean {
  return code < 128 && NAME_CHARS[code] === 1;
}

/**
 * Names already found valid. Types and keys repeat in every message, and a
 * set lookup on an (internalised, hash-cached) key is cheaper than
 * re-checking its characters. Bounded in count and name length, so hostile
 * input cannot grow it.
 */
const knownNames = new Set<string>();
const KNOWN_NAMES_LIMIT = 1024;
const KNOWN_NAME_MAX_LENGTH = 64;

/** True when `name` is a non-empty CQ type or key. */
export function isCqName(name: string): boolean {
  if (knownNames.has(name)) return true;
  if (!hasOnlyNameChars(name)) return false;
  if (knownNames.size < KNOWN_NAMES_LIMIT && name.length <= KNOWN_NAME_MAX_LENGTH) knownNames.add(name);
  return true;
}

function hasOnlyNameChars(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    if (!isCqNameChar(name.charCodeAt(i))) return false;
  }
  return true;
}
