/**
 * CQ escaping (protocol.md section 5).
 *
 * Text:       `&` -> `&amp;`, `[` -> `&#91;`, `]` -> `&#93;`
 * Parameters: the same, plus `,` -> `&#44;`
 *
 * The spec states the rules as ordered string replacements ("escape `&`
 * first", "unescape `&amp;` last"). Each function here does a single left to
 * right pass instead, which gives exactly the same result: every entity
 * starts with `&` and holds no other `&`, so matches never overlap, and a
 * replacement is never scanned again (which is what the ordering rule
 * protects against: `&amp;#91;` must decode to the literal `&#91;`).
 */

const AMP = 0x26; // &
const COMMA = 0x2c; // ,
const OPEN_BRACKET = 0x5b; // [
const CLOSE_BRACKET = 0x5d; // ]
const HASH = 0x23; // #
const SEMICOLON = 0x3b; // ;

function escapeWith(source: string, escapeComma: boolean): string {
  let out = '';
  let copiedUpTo = 0;
  for (let i = 0; i < source.length; i++) {
    let entity: string;
    switch (source.charCodeAt(i)) {
      case AMP:
        entity = '&amp;';
        break;
      case OPEN_BRACKET:
        entity = '&#91;';
        break;
      case CLOSE_BRACKET:
        entity = '&#93;';
        break;
      case COMMA:
        if (!escapeComma) continue;
        entity = '&#44;';
        break;
      default:
        continue;
    }
    out += source.slice(copiedUpTo, i) + entity;
    copiedUpTo = i + 1;
  }
  return copiedUpTo === 0 ? source : out + source.slice(copiedUpTo);
}

/** True when `text` holds none of `&`, `[`, `]`. */
function isPlainText(text: string): boolean {
  // Three native indexOf scans beat one regex test and a charCode loop on
  // long chat text (measured: bench/index.ts), and let us return the input
  // string itself, uncopied, in the common case.
  return text.indexOf('&') === -1 && text.indexOf('[') === -1 && text.indexOf(']') === -1;
}

// Parameter values are mostly short (ids, file names); one compiled
// character-class test is the cheapest check there.
const PARAM_SPECIALS = /[&[\],]/;

/** Escape plain text for a CQ string: `&`, `[`, `]`. */
export function escapeCqText(text: string): string {
  return isPlainText(text) ? text : escapeWith(text, false);
}

/** Escape a CQ parameter value: `&`, `[`, `]` and `,`. */
export function escapeCqParam(value: string): string {
  return PARAM_SPECIALS.test(value) ? escapeWith(value, true) : value;
}

/**
 * The character an entity of five UTF-16 units starting at `at` stands for
 * (`&amp;`, `&#91;`, `&#93;`, `&#44;`), or undefined when there is none.
 * Anything else that starts with `&` stays literal.
 */
function entityAt(source: string, at: number): string | undefined {
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

/**
 * Undo CQ escaping, text or parameter alike: `&#44;`, `&#91;`, `&#93;`, then
 * `&amp;` (see the file comment for why one pass equals that order). Unknown
 * or unterminated entities and lone `&` stay as they are.
 */
export function unescapeCq(source: string): string {
  let amp = source.indexOf('&');
  if (amp === -1) return source;
  let out = '';
  let copiedUpTo = 0;
  while (amp !== -1) {
    const decoded = entityAt(source, amp);
    if (decoded === undefined) {
      amp = source.indexOf('&', amp + 1);
      continue;
    }
    out += source.slice(copiedUpTo, amp) + decoded;
    copiedUpTo = amp + 5;
    amp = source.indexOf('&', copiedUpTo);
  }
  return copiedUpTo === 0 ? source : out + source.slice(copiedUpTo);
}
