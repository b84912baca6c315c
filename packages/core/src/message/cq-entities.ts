// The CQ entities (protocol.md section 5) and the thresholds the escaping
// functions share: escape.ts (the usual paths) and escape-dense.ts (text
// dense with special characters).

const HASH = 0x23; // #
export const SEMICOLON = 0x3b; // ;

/** The entity for each character code that needs one (all are below 0x5e). */
export const TEXT_ENTITIES: (string | undefined)[] = [];
TEXT_ENTITIES[0x26] = '&amp;';
TEXT_ENTITIES[0x5b] = '&#91;';
TEXT_ENTITIES[0x5d] = '&#93;';
export const PARAM_ENTITIES = TEXT_ENTITIES.slice();
PARAM_ENTITIES[0x2c] = '&#44;';
export const LAST_SPECIAL = 0x5d;

/**
 * `escapeWith` hands over to `escapeDense` after DENSE_AFTER specials when
 * they come more often than one per DENSE_GAP characters on average: a
 * concatenation costs about what `escapeDense` spends on ten characters, so
 * sparser texts (the usual long text) stay on the faster jumping path, and
 * the worst text for it costs a few ns per character either way.
 */
export const DENSE_AFTER = 64;
export const DENSE_GAP = 16;

/**
 * The character an entity of five UTF-16 units starting at `at` stands for
 * (`&amp;`, `&#91;`, `&#93;`, `&#44;`), or undefined when there is none.
 * Anything else that starts with `&` stays literal.
 */
export function entityAt(source: string, at: number): string | undefined {
  if (at + 4 >= source.length || source.charCodeAt(at + 4) !== SEMICOLON) return undefined;
  const first = source.charCodeAt(at + 1);
  const second = source.charCodeAt(at + 2);
  const third = source.charCodeAt(at + 3);
  if (first === 0x61 /* a */) return second === 0x6d /* m */ && third === 0x70 /* p */ ? '&' : undefined;
  if (first !== HASH) return undefined;
  if (second === 0x39 /* 9 */) {
    if (third === 0x31 /* 1 */) return '[';
    if (third === 0x33 /* 3 */) return ']';
    return undefined;
  }
  return second === 0x34 /* 4 */ && third === 0x34 /* 4 */ ? ',' : undefined;
}
