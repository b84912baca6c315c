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

const HASH = 0x23; // #
const SEMICOLON = 0x3b; // ;

/** Where `char` next occurs from `from` on, or NOT_FOUND (sorts after any index). */
const NOT_FOUND = Number.MAX_SAFE_INTEGER;
function nextIndex(source: string, char: string, from: number): number {
  const index = source.indexOf(char, from);
  return index === -1 ? NOT_FOUND : index;
}

/**
 * Escape by jumping from one special character to the next with indexOf
 * (native and vectorised) and copying the runs between them, instead of
 * visiting every character from JavaScript: for long texts (LONG and up)
 * with few specials this is faster than the loop of `escapeFrom`. Each
 * special costs a string concatenation, though, and millions of them (4 MiB
 * of `&`) block the event loop for most of a second: once specials are many
 * and dense (see DENSE_AFTER) the rest of the text goes through
 * `escapeDense`, whose cost per character is small whatever the text.
 */
function escapeWith(source: string, escapeComma: boolean): string {
  let amp = nextIndex(source, '&', 0);
  let open = nextIndex(source, '[', 0);
  let close = nextIndex(source, ']', 0);
  let comma = escapeComma ? nextIndex(source, ',', 0) : NOT_FOUND;
  let out = '';
  let copiedUpTo = 0;
  let specials = 0;
  for (;;) {
    const at = Math.min(amp, open, close, comma);
    if (at === NOT_FOUND) break;
    out += source.slice(copiedUpTo, at);
    specials += 1;
    if (specials > DENSE_AFTER && at < specials * DENSE_GAP) {
      return escapeDense(out, source, at, escapeComma ? PARAM_ENTITIES : TEXT_ENTITIES);
    }
    if (at === amp) {
      out += '&amp;';
      amp = nextIndex(source, '&', at + 1);
    } else if (at === open) {
      out += '&#91;';
      open = nextIndex(source, '[', at + 1);
    } else if (at === close) {
      out += '&#93;';
      close = nextIndex(source, ']', at + 1);
    } else {
      out += '&#44;';
      comma = nextIndex(source, ',', at + 1);
    }
    copiedUpTo = at + 1;
  }
  return copiedUpTo === 0 ? source : out + source.slice(copiedUpTo);
}

/**
 * `escapeWith` hands over to `escapeDense` after DENSE_AFTER specials when
 * they come more often than one per DENSE_GAP characters on average: a
 * concatenation costs about what `escapeDense` spends on ten characters, so
 * sparser texts (the usual long text) stay on the faster jumping path, and
 * the worst text for it costs a few ns per character either way.
 */
const DENSE_AFTER = 64;
const DENSE_GAP = 16;
/** Source characters escaped per chunk by `escapeDense`. */
const CHUNK = 8192;
/** Scratch space for one escaped chunk (every character may become an entity). */
let scratch: Buffer | undefined;
/** Any character beyond Latin-1 (U+0100 and up). */
const NOT_LATIN1 = /[\u0100-\uffff]/;

/**
 * Escape `source` from `from` on, after `prefix` (already escaped), a chunk
 * at a time: each chunk is written as code units into one reused scratch
 * buffer and decoded to a string in one native call, and one `join` builds
 * the result. That costs a few ns per character and allocates the output
 * about once, whatever the text: large fresh allocations are what make
 * long outputs slow, so none is made per call beyond the result. Text that
 * fits in Latin-1 (most of it) is written a byte per character; any other
 * as UTF-16 units, which keeps lone surrogates, even split between chunks,
 * exactly as they were.
 */
function escapeDense(prefix: string, source: string, from: number, entities: (string | undefined)[]): string {
  const table = entities === PARAM_ENTITIES ? PARAM_ENTITY_TABLE : TEXT_ENTITY_TABLE;
  const oneByte = !NOT_LATIN1.test(source);
  scratch ??= Buffer.allocUnsafe(CHUNK * ENTITY_LENGTH * 2);
  const units = new Uint16Array(scratch.buffer, scratch.byteOffset, CHUNK * ENTITY_LENGTH);
  const parts = [prefix];
  for (let start = from; start < source.length; start += CHUNK) {
    const end = Math.min(start + CHUNK, source.length);
    if (oneByte) {
      parts.push(scratch.toString('latin1', 0, writeEscapedBytes(source, start, end, table, scratch)));
    } else {
      const written = writeEscapedUnits(source, start, end, table, units);
      parts.push(scratch.toString('utf16le', 0, written * 2));
    }
  }
  return parts.join('');
}

/** Escape `source[start, end)` into `out`; returns the count written. */
function writeEscapedBytes(
  source: string,
  start: number,
  end: number,
  table: EntityTable,
  out: Uint8Array,
): number {
  const { second, third, fourth } = table;
  let at = 0;
  for (let i = start; i < end; i++) {
    const char = source.charCodeAt(i);
    if (char > LAST_SPECIAL || second[char] === 0) {
      out[at++] = char;
      continue;
    }
    out[at] = AMPERSAND;
    out[at + 1] = second[char]!;
    out[at + 2] = third[char]!;
    out[at + 3] = fourth[char]!;
    out[at + 4] = SEMICOLON;
    at += ENTITY_LENGTH;
  }
  return at;
}

/** As `writeEscapedBytes`, kept apart so each loop sees one array type (a shared one is several times slower). */
function writeEscapedUnits(
  source: string,
  start: number,
  end: number,
  table: EntityTable,
  out: Uint16Array,
): number {
  const { second, third, fourth } = table;
  let at = 0;
  for (let i = start; i < end; i++) {
    const char = source.charCodeAt(i);
    if (char > LAST_SPECIAL || second[char] === 0) {
      out[at++] = char;
      continue;
    }
    out[at] = AMPERSAND;
    out[at + 1] = second[char]!;
    out[at + 2] = third[char]!;
    out[at + 3] = fourth[char]!;
    out[at + 4] = SEMICOLON;
    at += ENTITY_LENGTH;
  }
  return at;
}

/** The entity for each character code that needs one (all are below 0x5e). */
const TEXT_ENTITIES: (string | undefined)[] = [];
TEXT_ENTITIES[0x26] = '&amp;';
TEXT_ENTITIES[0x5b] = '&#91;';
TEXT_ENTITIES[0x5d] = '&#93;';
const PARAM_ENTITIES = TEXT_ENTITIES.slice();
PARAM_ENTITIES[0x2c] = '&#44;';
const LAST_SPECIAL = 0x5d;

/**
 * The same entities as code units for `escapeDense`: each is `&`, three
 * units, `;` (five long), so three lookups by character code give the
 * middle; 0 in `second` means the character is not special.
 */
const ENTITY_LENGTH = 5;
const AMPERSAND = 0x26;
interface EntityTable {
  second: Uint8Array;
  third: Uint8Array;
  fourth: Uint8Array;
}
function toEntityTable(entities: (string | undefined)[]): EntityTable {
  const table = {
    second: new Uint8Array(LAST_SPECIAL + 1),
    third: new Uint8Array(LAST_SPECIAL + 1),
    fourth: new Uint8Array(LAST_SPECIAL + 1),
  };
  entities.forEach((entity, char) => {
    if (entity === undefined) return;
    table.second[char] = entity.charCodeAt(1);
    table.third[char] = entity.charCodeAt(2);
    table.fourth[char] = entity.charCodeAt(3);
  });
  return table;
}
const TEXT_ENTITY_TABLE = toEntityTable(TEXT_ENTITIES);
const PARAM_ENTITY_TABLE = toEntityTable(PARAM_ENTITIES);

/**
 * Escape `source`, whose first special character is at `first`, visiting
 * each character once. Used for short and medium strings (parameter values,
 * chat lines), where a plain loop beats restarting four indexOf scans per
 * special character; long ones go through `escapeWith`.
 */
function escapeFrom(source: string, first: number, entities: (string | undefined)[]): string {
  let out = source.slice(0, first) + entities[source.charCodeAt(first)];
  let copiedUpTo = first + 1;
  for (let i = copiedUpTo; i < source.length; i++) {
    const char = source.charCodeAt(i);
    if (char > LAST_SPECIAL) continue;
    const entity = entities[char];
    if (entity === undefined) continue;
    out += source.slice(copiedUpTo, i) + entity;
    copiedUpTo = i + 1;
  }
  return copiedUpTo === source.length ? out : out + source.slice(copiedUpTo);
}

/*
 * Most text and values need no escaping, and then the input string itself
 * is returned, uncopied. How to look for the first special character
 * depends on the length (measured with bench/index.ts on Node 20): ids and
 * numbers are a few characters, where an inline loop costs less than a
 * regex call; a compiled character class scans medium strings fastest in
 * one call and tells where escaping starts; native indexOf scans are
 * vectorised and win on long texts.
 */
const SHORT = 24;
const LONG = 256;
const TEXT_SPECIALS = /[&[\]]/;
const PARAM_SPECIALS = /[&[\],]/;

/** Escape plain text for a CQ string: `&`, `[`, `]`. */
export function escapeCqText(text: string): string {
  if (text.indexOf('&') === -1 && text.indexOf('[') === -1 && text.indexOf(']') === -1) return text;
  return text.length < LONG
    ? escapeFrom(text, text.search(TEXT_SPECIALS), TEXT_ENTITIES)
    : escapeWith(text, false);
}

/** Escape a CQ parameter value: `&`, `[`, `]` and `,`. */
export function escapeCqParam(value: string): string {
  const length = value.length;
  if (length < SHORT) {
    for (let i = 0; i < length; i++) {
      const char = value.charCodeAt(i);
      if (char <= LAST_SPECIAL && PARAM_ENTITIES[char] !== undefined)
        return escapeFrom(value, i, PARAM_ENTITIES);
    }
    return value;
  }
  if (length < LONG) {
    const first = value.search(PARAM_SPECIALS);
    return first === -1 ? value : escapeFrom(value, first, PARAM_ENTITIES);
  }
  const hasSpecial =
    value.indexOf('&') !== -1 ||
    value.indexOf('[') !== -1 ||
    value.indexOf(']') !== -1 ||
    value.indexOf(',') !== -1;
  return hasSpecial ? escapeWith(value, true) : value;
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
 * or unterminated entities and lone `&` stay as they are. Like `escapeWith`,
 * it hands a text dense with entities over to a chunked pass
 * (`unescapeDense`) instead of concatenating once per entity.
 */
export function unescapeCq(source: string): string {
  let amp = source.indexOf('&');
  if (amp === -1) return source;
  let out = '';
  let copiedUpTo = 0;
  let decodedCount = 0;
  while (amp !== -1) {
    const decoded = entityAt(source, amp);
    if (decoded === undefined) {
      amp = source.indexOf('&', amp + 1);
      continue;
    }
    decodedCount += 1;
    if (decodedCount > DENSE_AFTER && amp < decodedCount * DENSE_GAP) {
      return unescapeDense(out, source, copiedUpTo);
    }
    out += source.slice(copiedUpTo, amp) + decoded;
    copiedUpTo = amp + 5;
    amp = source.indexOf('&', copiedUpTo);
  }
  return copiedUpTo === 0 ? source : out + source.slice(copiedUpTo);
}

/**
 * Unescape `source` from `from` on, after `prefix` (already unescaped), a
 * chunk at a time into the reused scratch buffer, as `escapeDense` does.
 */
function unescapeDense(prefix: string, source: string, from: number): string {
  scratch ??= Buffer.allocUnsafe(CHUNK * ENTITY_LENGTH * 2);
  const parts = [prefix];
  if (NOT_LATIN1.test(source)) {
    unescapeUnits(
      source,
      from,
      parts,
      scratch,
      new Uint16Array(scratch.buffer, scratch.byteOffset, CHUNK * 2),
    );
  } else {
    unescapeBytes(source, from, parts, scratch);
  }
  return parts.join('');
}

/** Unescape into `out` (bytes), pushing a string to `parts` every CHUNK characters. */
function unescapeBytes(source: string, from: number, parts: string[], out: Buffer): void {
  let at = 0;
  for (let i = from; i < source.length;) {
    if (at >= CHUNK) {
      parts.push(out.toString('latin1', 0, at));
      at = 0;
    }
    const char = source.charCodeAt(i);
    const decoded = char === AMPERSAND ? entityAt(source, i) : undefined;
    if (decoded === undefined) {
      out[at++] = char;
      i += 1;
    } else {
      out[at++] = decoded.charCodeAt(0);
      i += ENTITY_LENGTH;
    }
  }
  parts.push(out.toString('latin1', 0, at));
}

/** As `unescapeBytes` for text beyond Latin-1, as UTF-16 units; kept apart like `writeEscapedUnits`. */
function unescapeUnits(
  source: string,
  from: number,
  parts: string[],
  buffer: Buffer,
  out: Uint16Array,
): void {
  let at = 0;
  for (let i = from; i < source.length;) {
    if (at >= CHUNK) {
      parts.push(buffer.toString('utf16le', 0, at * 2));
      at = 0;
    }
    const char = source.charCodeAt(i);
    const decoded = char === AMPERSAND ? entityAt(source, i) : undefined;
    if (decoded === undefined) {
      out[at++] = char;
      i += 1;
    } else {
      out[at++] = decoded.charCodeAt(0);
      i += ENTITY_LENGTH;
    }
  }
  parts.push(buffer.toString('utf16le', 0, at * 2));
}
