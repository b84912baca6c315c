import type { Segment } from './segments.js';

/**
 * Events. The base shapes here are what the bus and the adapters rely on; the
 * full set of standard events is declared in this file too.
 */

export type PostType = 'message' | 'message_sent' | 'notice' | 'request' | 'meta_event';

export interface EventBase {
  /** Unix time in seconds. */
  time: number;
  self_id: number;
  post_type: PostType;
  [key: string]: unknown;
}

/** A message event as a backend publishes it: `message` as segments. */
export interface MessageEventBase extends EventBase {
  post_type: 'message' | 'message_sent';
  message_type: 'private' | 'group';
  sub_type: string;
  message_id: number;
  user_id: number;
  message: Segment[] | string;
  raw_message: string;
  font: number;
  message_format?: 'array' | 'string';
  sender: { user_id: number; nickname: string; [key: string]: unknown };
}

/** Any OneBot 11 event. */
export type OneBotEvent = EventBase;
