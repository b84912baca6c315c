import type { Segment } from '../types/segments.js';

// PLACEHOLDER until the codec lands: the message-codec work replaces this file.
export function encodeCq(segments: Segment[]): string {
  return segments.map((s) => (s.type === 'text' ? String(s.data.text) : `[CQ:${s.type}]`)).join('');
}

export function parseCq(text: string): Segment[] {
  return [{ type: 'text', data: { text } }];
}
