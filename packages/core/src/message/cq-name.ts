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

/** True when `name` is a non-empty CQ type or key. */
export function isCqName(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    if (!isCqNameChar(name.charCodeAt(i))) return false;
  }
  return true;
}
