/**
 * The boolean spellings clients send (NapCat configs and go-cqhttp clients
 * use all of them). Shared by parameter coercion and quick operations so
 * both read `"yes"` the same way; config files take the strict subset
 * (`true`/`false`/`1`/`0`), which is what NapCat's own validator reads.
 */
function booleanReader(trueWords: ReadonlySet<string>, falseWords: ReadonlySet<string>) {
  return (value: unknown): boolean | undefined => {
    if (typeof value === 'boolean') return value;
    if (value === 1 || value === 0) return value === 1;
    if (typeof value === 'string') {
      const word = value.trim().toLowerCase();
      if (trueWords.has(word)) return true;
      if (falseWords.has(word)) return false;
    }
    return undefined;
  };
}

/** The boolean `value` spells in an action's params, or undefined when it spells none. */
export const readBoolean = booleanReader(
  new Set(['true', '1', 'yes', 'on']),
  new Set(['false', '0', 'no', 'off', '']),
);

/** The boolean `value` spells in a config file (true/false/1/0 in any case), or undefined. */
export const readConfigBoolean = booleanReader(new Set(['true', '1']), new Set(['false', '0']));
