import type { OneBotEvent, Segment } from '@onebot-gateway/core';

/**
 * The operator API: a person (through the gateway's admin routes) or a test
 * plays the other side of the sandbox. Every method validates against the
 * world and throws a BAD_REQUEST OneBotError (HTTP 400) naming what is wrong;
 * nothing is published when it throws.
 */

export interface SimulateMessageInput {
  message_type: 'private' | 'group';
  user_id: number | string;
  /** Group messages: the group. Private messages: a shared group, for a temporary session with a non-friend. */
  group_id?: number | string;
  /** A CQ string, one segment or a segment array. */
  message: string | Segment | Segment[];
  /** Send a CQ string as plain text. */
  auto_escape?: boolean;
  /** Fields that override the event's `sender` (user_id always stays the sender's). */
  sender?: Record<string, unknown>;
  /** Group messages: send anonymously under this name (the group must allow anonymous chat). A member keeps one identity (flag) per group; refused while set_group_anonymous_ban holds it. */
  anonymous?: { name?: string };
}

export interface SimulateMessageResult {
  message_id: number;
  event: OneBotEvent;
}

export interface SimulateRequestInput {
  request_type: 'friend' | 'group';
  /** Group requests: `add` (user asks to join a bot's group, the default) or `invite` (user invites the bot). */
  sub_type?: 'add' | 'invite';
  user_id: number | string;
  group_id?: number | string;
  comment?: string;
  /** The requester's nickname, remembered for get_stranger_info and, once approved, the friend list. */
  nickname?: string;
}

export interface SimulateRequestResult {
  flag: string;
  event: OneBotEvent;
}

export interface SimulateGroupDecreaseInput {
  group_id: number | string;
  user_id: number | string;
  /** Who removed the user: absent or the user themself = they left; another member = a kick (`kick_me` when the bot is kicked). */
  operator_id?: number | string;
}

export interface SimulateRecallInput {
  message_id: number | string;
  /** Group messages: who recalls it (default the sender); must be the sender or outrank them. */
  operator_id?: number | string;
}

export interface ConversationQuery {
  message_type: 'private' | 'group';
  group_id?: number | string;
  user_id?: number | string;
  /** The newest `limit` messages (default: all remembered). */
  limit?: number | string;
}

export interface ConversationMessage {
  message_id: number;
  /** Sender; the bot's id for its own messages. */
  user_id: number;
  /** Seconds. */
  time: number;
  message: Segment[];
  raw_message: string;
}

export interface SandboxSnapshot {
  self_id: number;
  nickname: string;
  friends: Array<{ user_id: number; nickname: string; remark: string }>;
  groups: Array<{
    group_id: number;
    group_name: string;
    whole_ban: boolean;
    anonymous_enabled: boolean;
    members: Array<{
      user_id: number;
      nickname: string;
      card: string;
      role: string;
      title: string;
      shut_up_until: number;
    }>;
  }>;
  requests: Array<{
    flag: string;
    request_type: string;
    sub_type?: string;
    user_id: number;
    group_id?: number;
    comment: string;
    time: number;
  }>;
  history: { messages: number; forwards: number; conversations: Record<string, number> };
  stats: { messagesSent: number; messagesReceived: number; eventsPublished: number };
}

export interface SandboxOperator {
  simulateMessage(input: SimulateMessageInput): SimulateMessageResult;
  simulateRequest(input: SimulateRequestInput): SimulateRequestResult;
  simulateGroupDecrease(input: SimulateGroupDecreaseInput): { event: OneBotEvent };
  simulateRecall(input: SimulateRecallInput): { event: OneBotEvent };
  conversation(query: ConversationQuery): ConversationMessage[];
  snapshot(): SandboxSnapshot;
}
