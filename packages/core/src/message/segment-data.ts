/**
 * Normal forms behind the round-trip law of protocol.md section 5:
 * `parseCq(encodeCq(segments))` equals `canonicalSegments(segments)`.
 */
import type { Segment } from '../types/segments.js';
import { dataValueToString, type CqData } from './cq-code.js';

/**
 * A segment's data with every value as the string `encodeCq` writes for it
 * (numbers and booleans stringified, nested content as its CQ string,
 * `undefined`/`null` left out). The segment itself is not modified.
 */
export function normalizeSegmentData(segment: Segment): Segment<string, CqData> {
  const data: CqData = {};
  const source = segment.data as Record<string, unknown> | undefined;
  for (const key in source) {
    const value = dataValueToString(source[key]);
    if (value === undefined) continue;
    Object.defineProperty(data, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return { type: segment.type, data };
}

/**
 * What a segment array looks like after a trip through a CQ string: data
 * normalised to strings, text segments reduced to their `text`, adjacent
 * text segments merged and empty ones dropped. Segments whose type or keys
 * are not valid CQ names are outside the law (`encodeCq` writes them as text).
 */
export function canonicalSegments(segments: readonly Segment[]): Segment<string, CqData>[] {
  const result: Segment<string, CqData>[] = [];
  let pendingText = '';
  for (const segment of segments) {
    const normalized = normalizeSegmentData(segment);
    if (segment.type === 'text') {
      pendingText += normalized.data.text ?? '';
      continue;
    }
    if (pendingText !== '') result.push({ type: 'text', data: { text: pendingText } });
    pendingText = '';
    result.push(normalized);
  }
  if (pendingText !== '') result.push({ type: 'text', data: { text: pendingText } });
  return result;
}
