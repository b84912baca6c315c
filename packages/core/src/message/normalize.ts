/**
 * The message parameter normaliser: whatever a client sends as `message`
 * (CQ string, one segment, segment array) becomes a checked segment array.
 */
import { OneBotError } from '../errors.js';
import type { MessageInput, Segment } from '../types/segments.js';
import { encodeCq, parseCq } from './cq-code.js';

/**
 * Forward nodes can nest messages inside messages; past this depth the input
 * is refused instead of risking the stack on a hostile request.
 */
const MAX_NESTED_CONTENT_DEPTH = 16;

const SHAPE_HINT =
  'a CQ string, a segment like {"type":"text","data":{"text":"hi"}}, or an array of segments';

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function badRequest(message: string): OneBotError {
  return new OneBotError('BAD_REQUEST', message);
}

function checkNestedContent(data: Record<string, unknown>, path: string, depth: number): void {
  const { content } = data;
  // String content is a CQ string: any message parameter accepts one.
  if (content === undefined || content === null || typeof content === 'string') return;
  if (depth >= MAX_NESTED_CONTENT_DEPTH) {
    throw badRequest(
      `${path}.content is nested more than ${MAX_NESTED_CONTENT_DEPTH} levels deep; flatten the forward message`,
    );
  }
  if (Array.isArray(content)) {
    content.forEach((item, index) => checkSegment(item, `${path}.content[${index}]`, depth + 1));
  } else {
    checkSegment(content, `${path}.content`, depth + 1);
  }
}

/**
 * Check one segment's shape and return it, or a copy with `data: {}` when
 * data was missing. The caller's objects are never modified.
 */
function checkSegment(value: unknown, path: string, depth: number): Segment {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest(
      `${path} must be a segment object like {"type":"text","data":{"text":"hi"}}, got ${describe(value)}`,
    );
  }
  const { type, data } = value as { type?: unknown; data?: unknown };
  if (typeof type !== 'string' || type === '') {
    throw badRequest(
      `${path}.type must be a non-empty string such as "text" or "image", got ${describe(type)}`,
    );
  }
  if (data === undefined || data === null) return { type, data: {} };
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw badRequest(`${path}.data must be an object of parameters, got ${describe(data)}`);
  }
  // Custom forward nodes carry a whole message in `content` (both the
  // user_id/nickname and the uin/name spelling use that key).
  if (type === 'node') checkNestedContent(data as Record<string, unknown>, `${path}.data`, depth);
  return value as Segment;
}

/**
 * Turn a `message` parameter into segments: a string is parsed as a CQ
 * string, one segment becomes a one-item array, an array is checked item by
 * item (each needs a string `type`; missing `data` becomes `{}`).
 * Throws OneBotError('BAD_REQUEST') naming the offending item otherwise.
 */
export function toSegments(input: unknown): Segment[] {
  if (typeof input === 'string') return parseCq(input);
  if (Array.isArray(input)) return input.map((item, index) => checkSegment(item, `message[${index}]`, 0));
  if (typeof input === 'object' && input !== null) return [checkSegment(input, 'message', 0)];
  throw badRequest(`message must be ${SHAPE_HINT}; got ${describe(input)}`);
}

/** A `message` parameter as a CQ string: strings are returned unchanged. */
export function toCqString(input: unknown): string {
  return typeof input === 'string' ? input : encodeCq(toSegments(input));
}

/** The `raw_message` of an event: the message as a CQ string. */
export function buildRawMessage(message: readonly Segment[] | string): string {
  return typeof message === 'string' ? message : encodeCq(message);
}

/**
 * Normalise an API `message` parameter to segments, honouring `auto_escape`:
 * with `autoEscape` a string is sent as one text segment holding the whole
 * string (no CQ codes are interpreted; an empty string gives no segments).
 * `autoEscape` has no effect on segment input.
 */
export function normalizeMessage(input: MessageInput, autoEscape = false): Segment[] {
  if (autoEscape && typeof input === 'string') {
    return input === '' ? [] : [{ type: 'text', data: { text: input } }];
  }
  return toSegments(input);
}
