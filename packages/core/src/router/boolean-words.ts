/**
 * The boolean spellings clients send (NapCat configs and go-cqhttp clients
 * use all of them). Shared by parameter coercion and quick operations so
 * both read `"yes"` the same way.
 */
const trueWords = new Set(['true', '1', 'yes', 'on']);
const falseWords = new Set(['false', '0', 'no', 'off', '']);

/** The boolean `value` spells, or undefined when it spells none. */
export function readBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value === 'string') {
    const word = value.trim().toLowerCase();
    if (trueWords.has(word)) return true;
    if (falseWords.has(word)) return false;
  }
  return undefined;
}
