import { OneBotError } from '../errors.js';
import type { MessageInput, Segment } from '../types/segments.js';

// PLACEHOLDER until the codec lands: the message-codec work replaces this file.
export function normalizeMessage(input: MessageInput, autoEscape = false): Segment[] {
  if (typeof input === 'string') return [{ type: 'text', data: { text: input } }];
  if (Array.isArray(input)) return input;
  if (input && typeof input === 'object') return [input];
  void autoEscape;
  throw new OneBotError('BAD_REQUEST', 'message must be a CQ string, a segment or an array of segments');
}
