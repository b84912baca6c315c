import { LAST_SPECIAL, PARAM_ENTITIES, SEMICOLON, TEXT_ENTITIES, entityAt } from './cq-entities.js';

/**
 * The chunked paths for text dense with special characters (or entities):
 * each chunk is written as code units into one reused scratch buffer, so
 * the cost per character stays small whatever the text. escape.ts hands
 * over to them; see there for when.
 */

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
export function escapeDense(
  prefix: string,
  source: string,
  from: number,
  entities: (string | undefined)[],
): string {
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
 * Unescape `source` from `from` on, after `prefix` (already unescaped), a
 * chunk at a time into the reused scratch buffer, as `escapeDense` does.
 */
export function unescapeDense(prefix: string, source: string, from: number): string {
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
