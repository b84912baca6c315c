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

import {
  DENSE_AFTER,
  DENSE_GAP,
  LAST_SPECIAL,
  PARAM_ENTITIES,
  TEXT_ENTITIES,
  entityAt,
} from './cq-entities.js';
import { escapeDense, unescapeDense } from './escape-dense.js';

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
