import { OneBotError, normalizeMessage, type MessageInput, type Segment } from '@onebot-gateway/core';
import { buildRawMessage, isPlainObject } from '@onebot-gateway/core/internal';

/** A message parameter as segments the sandbox can store: validated, copied, never empty. */
export function toSegments(input: unknown, autoEscape: boolean, what = 'message'): Segment[] {
  if (typeof input !== 'string' && !isPlainObject(input) && !Array.isArray(input)) {
    throw new OneBotError('BAD_REQUEST', `${what} must be a CQ string, a segment or an array of segments`);
  }
  const segments = normalizeMessage(input as MessageInput, autoEscape);
  const copied = segments.map((segment, index) => {
    if (!isPlainObject(segment) || typeof segment.type !== 'string' || segment.type === '') {
      throw new OneBotError(
        'BAD_REQUEST',
        `${what}[${index}] must be a segment like {"type": "text", "data": {"text": "hi"}}`,
      );
    }
    const data = segment.data ?? {};
    if (!isPlainObject(data))
      throw new OneBotError('BAD_REQUEST', `${what}[${index}].data must be an object`);
    return { type: segment.type, data: { ...data } };
  });
  const blank = copied.every((segment) => segment.type === 'text' && String(segment.data.text ?? '') === '');
  if (blank) throw new OneBotError('BAD_REQUEST', `${what} is empty; send at least one non-empty segment`);
  return copied;
}

export function rawMessageOf(segments: Segment[]): string {
  return buildRawMessage(segments);
}
