/**
 * Forward `node` segments come in two spellings (protocol.md section 5):
 * OneBot 11 `user_id/nickname/content` and go-cqhttp `uin/name/content/time`.
 * `readForwardNode` reads either into one shape so backends handle one form.
 */
import type { Segment } from '../types/segments.js';
import { dataValueToString } from './cq-code.js';
import { toSegments } from './normalize.js';

/** A node that forwards an existing message by its id. */
export interface ForwardNodeReference {
  kind: 'reference';
  id: string;
}

/** A node with its own sender and content, whichever spelling it came in. */
export interface ForwardNodeCustom {
  kind: 'custom';
  userId: string;
  nickname: string;
  /** The content as segments (a CQ string content is parsed). */
  content: Segment[];
  /** Seconds, when given. */
  time?: string;
}

export type ForwardNode = ForwardNodeReference | ForwardNodeCustom;

function stringField(data: Record<string, unknown>, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = dataValueToString(data[key]);
    if (value !== undefined) return value;
  }
  return undefined;
}

/**
 * Read a `node` segment in either spelling. Returns undefined for other
 * segment types or a node with neither an `id` nor `content`. Throws
 * OneBotError('BAD_REQUEST') when the content is not a valid message.
 */
export function readForwardNode(segment: Segment): ForwardNode | undefined {
  if (segment.type !== 'node') return undefined;
  const data = (segment.data ?? {}) as Record<string, unknown>;
  if (data.content === undefined || data.content === null) {
    const id = stringField(data, 'id');
    return id === undefined ? undefined : { kind: 'reference', id };
  }
  const node: ForwardNodeCustom = {
    kind: 'custom',
    userId: stringField(data, 'user_id', 'uin') ?? '',
    nickname: stringField(data, 'nickname', 'name') ?? '',
    content: toSegments(data.content),
  };
  const time = stringField(data, 'time');
  if (time !== undefined) node.time = time;
  return node;
}
