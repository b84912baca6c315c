/**
 * The ceiling of our encoder: `encodeCq` step for step (same segment checks,
 * same cached name prefixes, same value conversion, same `+=` building) with
 * the escaping left out. WRONG on purpose for any text or value holding
 * `&`, `[`, `]` or `,`, like node-napcat-ts's encoder; it exists only so the
 * bench can show, in the same run, how much of the encode time is the
 * escaping the spec requires and how fast the rest already is.
 *
 * Keep it in step with `encodeCq` in src/message/cq-code.ts.
 */
import { dataValueToString } from '../src/message/cq-code.js';
import { codePrefix, paramPrefix } from '../src/message/name-prefix.js';
import type { Segment } from '../src/types/segments.js';

function isSegmentLike(value: unknown): value is Segment {
  return typeof value === 'object' && value !== null && typeof (value as Segment).type === 'string';
}

function encodeCodeUnescaped(type: string, data: Record<string, unknown> | undefined): string {
  let code = codePrefix(type) ?? '[CQ:' + type;
  for (const key in data) {
    const raw = data[key];
    const value = typeof raw === 'string' ? raw : dataValueToString(raw);
    if (value === undefined) continue;
    code += (paramPrefix(key) ?? ',' + key + '=') + value;
  }
  return code + ']';
}

export function encodeCqWithoutEscaping(segments: readonly Segment[]): string {
  let out = '';
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (!isSegmentLike(segment)) continue;
    const data = segment.data as Record<string, unknown> | undefined;
    if (segment.type === 'text') {
      const text = data?.text;
      out += typeof text === 'string' ? text : (dataValueToString(text) ?? '');
    } else {
      out += encodeCodeUnescaped(segment.type, data);
    }
  }
  return out;
}
