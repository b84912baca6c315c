/**
 * The CQ string codec: `parseCq` (string -> segments) and `encodeCq`
 * (segments -> string), per protocol.md section 5.
 *
 * Both are hand-written scanners over char codes and `indexOf`, not a regex
 * per segment: messages arrive from the network and can be huge or hostile,
 * and the parser must stay linear in the input length (see `parseCq`).
 */
import type { Segment } from '../types/segments.js';
import { isCqNameChar } from './cq-name.js';
import { codePrefix, paramPrefix } from './name-prefix.js';
import { escapeCqParam, escapeCqText, unescapeCq } from './escape.js';

const AMP = 0x26; // &
const COMMA = 0x2c; // ,
const EQUALS = 0x3d; // =
const OPEN_BRACKET = 0x5b; // [
const CLOSE_BRACKET = 0x5d; // ]
const CODE_PREFIX = '[CQ:';

/** Parameter values of parsed segments are always strings. */
export type CqData = Record<string, string>;

/**
 * Where the last `readCode` call stopped: one past the `]` on success, the
 * offending position on failure. A module variable instead of a returned
 * tuple, so the hot path allocates nothing but the segment itself; safe
 * because parsing is synchronous.
 */
let scanStop = 0;

function setData(data: CqData, key: string, value: string): void {
  // `[CQ:x,__proto__=1]` must become an own property, not replace the prototype.
  if (key === '__proto__') {
    Object.defineProperty(data, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    data[key] = value;
  }
}

/**
 * Read one `[CQ:type,key=value,...]` starting at `open` (which points at
 * `[CQ:`). Returns the segment, or undefined when the code is malformed or
 * unterminated; `scanStop` says where scanning stopped either way.
 *
 * No part of a code may contain a raw `[` (names cannot, and a well-formed
 * value has it escaped as `&#91;`), so a failed attempt never scans past the
 * next `[`, and the next `[CQ:` can only start at or after the point where
 * this attempt failed. Each character is therefore examined a bounded number
 * of times: the whole parse is linear, even on `[CQ:` repeated 100k times.
 */
function readCode(text: string, open: number): Segment<string, CqData> | undefined {
  const length = text.length;
  let i = open + CODE_PREFIX.length;

  const typeStart = i;
  while (i < length && isCqNameChar(text.charCodeAt(i))) i++;
  if (i === typeStart || i >= length) {
    scanStop = i;
    return undefined;
  }
  const type = text.slice(typeStart, i);
  const data: CqData = {};

  let char = text.charCodeAt(i);
  while (char === COMMA) {
    i++;
    const keyStart = i;
    while (i < length && isCqNameChar(text.charCodeAt(i))) i++;
    // A key needs at least one character and ends at the first `=`.
    if (i === keyStart || i >= length || text.charCodeAt(i) !== EQUALS) {
      scanStop = i;
      return undefined;
    }
    const key = text.slice(keyStart, i);
    i++;

    // The value is everything up to the next `,` or `]`; it may contain `=`
    // and may be empty. Remember whether it holds an entity to decode.
    const valueStart = i;
    let hasEntity = false;
    for (; i < length; i++) {
      char = text.charCodeAt(i);
      if (char === COMMA || char === CLOSE_BRACKET) break;
      if (char === OPEN_BRACKET) {
        scanStop = i;
        return undefined;
      }
      if (char === AMP) hasEntity = true;
    }
    if (i >= length) {
      scanStop = i;
      return undefined;
    }
    const raw = text.slice(valueStart, i);
    setData(data, key, hasEntity ? unescapeCq(raw) : raw);
  }

  if (char !== CLOSE_BRACKET) {
    scanStop = i;
    return undefined;
  }
  scanStop = i + 1;
  return { type, data };
}

/**
 * Parse a CQ string into segments.
 *
 * - Text between codes becomes one `text` segment (unescaped); adjacent text
 *   is always merged, and there are no empty text segments.
 * - A malformed or unterminated `[CQ:` is kept as literal text, never dropped.
 * - Parameter values are unescaped strings; a repeated key keeps the last value.
 * - `[CQ:text,text=...]` (which some implementations write) is text: its
 *   `text` value joins the text around it, other keys are dropped, so the
 *   result still has one merged text segment with a `text` string.
 */
export function parseCq(text: string): Segment[] {
  const segments: Segment[] = [];
  let textStart = 0; // start of the literal text not yet emitted
  let searchFrom = 0;
  // Text already decoded but not yet emitted: only ever non-empty after a `[CQ:text]` code.
  let pending = '';
  for (;;) {
    const open = text.indexOf(CODE_PREFIX, searchFrom);
    if (open === -1) break;
    const segment = readCode(text, open);
    if (segment === undefined) {
      // Literal text: keep it pending and look for the next code where the
      // failed attempt stopped (never before open + 1, to make progress).
      searchFrom = scanStop > open ? scanStop : open + 1;
      continue;
    }
    if (open > textStart) pending += unescapeCq(text.slice(textStart, open));
    textStart = searchFrom = scanStop;
    if (segment.type === 'text') {
      pending += segment.data.text ?? '';
      continue;
    }
    if (pending !== '') {
      segments.push({ type: 'text', data: { text: pending } });
      pending = '';
    }
    segments.push(segment);
  }
  if (textStart < text.length) pending += unescapeCq(textStart === 0 ? text : text.slice(textStart));
  if (pending !== '') segments.push({ type: 'text', data: { text: pending } });
  return segments;
}

function isSegmentLike(value: unknown): value is Segment {
  return typeof value === 'object' && value !== null && typeof (value as Segment).type === 'string';
}

/**
 * How one data value is written into a CQ string (and what
 * `normalizeSegmentData` turns it into, so the round-trip law holds):
 *
 * - strings as they are; numbers, booleans and bigints via `String`;
 * - `undefined` and `null`: the key is left out;
 * - nested message content (a segment, or an array of segments, e.g. the
 *   `content` of a custom forward `node`): its own CQ string, which is then
 *   escaped as a parameter like any other value. Any OneBot `message`
 *   parameter accepts a CQ string, so the content keeps its meaning;
 * - any other object or array: its JSON text. When it has none (a cycle, a
 *   bigint inside, nesting too deep for `JSON.stringify`, a throwing
 *   `toJSON`), an array is written as `[object Array]` and any other object
 *   as its `String()` text, or `[object Object]` when that throws or is not
 *   a string. This never throws: it runs on event delivery.
 */
export function dataValueToString(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return undefined;
  if (isSegmentLike(value)) return encodeCq([value]);
  if (Array.isArray(value) && value.length > 0 && value.every(isSegmentLike)) return encodeCq(value);
  try {
    return JSON.stringify(value);
  } catch {
    // Cycles, bigints, hostile nesting: never let one odd value crash delivery.
    return textWithoutJson(value);
  }
}

/**
 * The fallback of `dataValueToString`. Arrays are not joined: `join` recurses
 * into every element, so a deeply nested array would overflow the stack
 * again. An object's own `toString` (or a missing one) may throw.
 */
function textWithoutJson(value: unknown): string {
  if (Array.isArray(value)) return '[object Array]';
  try {
    return String(value);
  } catch {
    return '[object Object]';
  }
}

function textOf(data: Record<string, unknown> | undefined): string {
  const text = data?.text;
  if (typeof text === 'string') return text;
  return dataValueToString(text) ?? '';
}

/**
 * The code for one non-text segment; see `encodeCq` for invalid names.
 * Valid names come with their cached `[CQ:type` / `,key=` text, so the
 * common case appends two strings per parameter.
 */
function encodeCode(type: string, data: Record<string, unknown> | undefined): string {
  const prefix = codePrefix(type);
  let code = prefix ?? CODE_PREFIX + type;
  let valid = prefix !== undefined;
  for (const key in data) {
    const raw = data[key];
    // Strings are the common case: skip the conversion call for them.
    const value = typeof raw === 'string' ? raw : dataValueToString(raw);
    if (value === undefined) continue;
    const keyPrefix = paramPrefix(key);
    if (keyPrefix === undefined) {
      valid = false;
      code += ',' + key + '=' + escapeCqParam(value);
    } else {
      code += keyPrefix + escapeCqParam(value);
    }
  }
  code += ']';
  return valid ? code : escapeCqText(code);
}

/**
 * Encode segments as a CQ string.
 *
 * - `text` segments are escaped as text; every other segment becomes
 *   `[CQ:type,key=value]` with parameter escaping, keys in their object
 *   order. Unknown types pass through like standard ones.
 * - Values follow `dataValueToString` (nested content -> its CQ string).
 * - A segment whose type or a key is not a valid CQ name (letters, digits,
 *   `-`, `_`, `.`) could not be parsed back; it is written as escaped text
 *   instead, so it can never corrupt the codes around it.
 * - Items that are not segments at all (null, a string, no string `type`)
 *   are skipped: this runs on event delivery, where throwing would cost
 *   every subscriber the event.
 */
export function encodeCq(segments: readonly Segment[]): string {
  let out = '';
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (!isSegmentLike(segment)) continue;
    const data = segment.data as Record<string, unknown> | undefined;
    out += segment.type === 'text' ? escapeCqText(textOf(data)) : encodeCode(segment.type, data);
  }
  return out;
}
