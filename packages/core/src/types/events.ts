import type { BackendStatus } from '../adapter.js';
import type { Segment } from './segments.js';

// Events.
//
// Two layers:
// - `OneBotEvent` / `EventBase` / `MessageEventBase`: loose shapes with an
//   index signature. The bus and the adapters use them because a backend may
//   publish events this file does not know (new notice types, extra fields).
// - `StandardEvent`: the precise discriminated union of every OneBot 11 event
//   and the common extensions, for users' code. Narrow on `post_type`, then
//   `message_type` / `notice_type` / `request_type` / `meta_event_type`, then
//   `sub_type`.
//
// The precise types are object type aliases (not interfaces) so that each of
// them is assignable to the loose `OneBotEvent`.

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

/** Any OneBot 11 event (loose: see `StandardEvent` for the precise union). */
export type OneBotEvent = EventBase;

/* ------------------------------------------------------------------ */
/* Common fields                                                       */
/* ------------------------------------------------------------------ */

type Base<P extends PostType> = {
  /** Unix time in seconds. */
  time: number;
  /** The bot's QQ number. */
  self_id: number;
  post_type: P;
};

export type Sex = 'male' | 'female' | 'unknown';
export type GroupRole = 'owner' | 'admin' | 'member';

export type PrivateSender = {
  user_id: number;
  nickname: string;
  sex?: Sex;
  age?: number;
  /** Extension: the group of a temporary session. */
  group_id?: number;
};

export type GroupSender = {
  user_id: number;
  nickname: string;
  /** Group card (display name in the group); may be empty. */
  card?: string;
  sex?: Sex;
  age?: number;
  area?: string;
  level?: string;
  role?: GroupRole;
  title?: string;
};

/** An anonymous group sender; `flag` is what `set_group_anonymous_ban` needs. */
export type AnonymousInfo = { id: number; name: string; flag: string };

type MessageFields = {
  message_id: number;
  user_id: number;
  /** Segments (`messagePostFormat: "array"`) or a CQ string (`"string"`). */
  message: Segment[] | string;
  /** Always the CQ string form. */
  raw_message: string;
  font: number;
  /** Which form `message` has; set by the bus on delivery. */
  message_format?: 'array' | 'string';
  /** Extension: the sequence number some backends report. */
  message_seq?: number;
  real_id?: number;
};

type PrivateMessageFields = MessageFields & {
  message_type: 'private';
  /** `friend`, a temporary session from a `group`, or `other`; `group_self` is an extension for the bot's own temp messages. */
  sub_type: 'friend' | 'group' | 'other' | 'group_self';
  sender: PrivateSender;
  /** Extension: the peer of a message the bot sent. */
  target_id?: number;
  /** Extension: where a temporary session came from. */
  temp_source?: number;
};

type GroupMessageFields = MessageFields & {
  message_type: 'group';
  sub_type: 'normal' | 'anonymous' | 'notice';
  group_id: number;
  /** Set for anonymous messages, otherwise null or absent. */
  anonymous?: AnonymousInfo | null;
  sender: GroupSender;
  /** Extension: the group name, when the backend knows it. */
  group_name?: string;
};

export type PrivateMessageEvent = Base<'message'> & PrivateMessageFields;
export type GroupMessageEvent = Base<'message'> & GroupMessageFields;
export type MessageEvent = PrivateMessageEvent | GroupMessageEvent;

/** The bot's own message (reaches only adapters with `reportSelfMessage: true`). */
export type PrivateMessageSentEvent = Base<'message_sent'> & PrivateMessageFields;
export type GroupMessageSentEvent = Base<'message_sent'> & GroupMessageFields;
export type MessageSentEvent = PrivateMessageSentEvent | GroupMessageSentEvent;

/* ------------------------------------------------------------------ */
/* Notices                                                             */
/* ------------------------------------------------------------------ */

type Notice<T extends string> = Base<'notice'> & { notice_type: T };

export type GroupFile = {
  id: string;
  name: string;
  size: number;
  busid: number;
  /** Extension. */ url?: string;
};

export type GroupUploadNoticeEvent = Notice<'group_upload'> & {
  group_id: number;
  user_id: number;
  file: GroupFile;
};
export type GroupAdminNoticeEvent = Notice<'group_admin'> & {
  sub_type: 'set' | 'unset';
  group_id: number;
  user_id: number;
};
export type GroupDecreaseNoticeEvent = Notice<'group_decrease'> & {
  /** `kick_me`: the bot was kicked; `disband` is an extension. */
  sub_type: 'leave' | 'kick' | 'kick_me' | 'disband';
  group_id: number;
  operator_id: number;
  user_id: number;
};
export type GroupIncreaseNoticeEvent = Notice<'group_increase'> & {
  sub_type: 'approve' | 'invite';
  group_id: number;
  operator_id: number;
  user_id: number;
};
export type GroupBanNoticeEvent = Notice<'group_ban'> & {
  sub_type: 'ban' | 'lift_ban';
  group_id: number;
  operator_id: number;
  /** 0 for the whole group. */
  user_id: number;
  /** Seconds; 0 when lifted. */
  duration: number;
};
export type FriendAddNoticeEvent = Notice<'friend_add'> & { user_id: number };
export type GroupRecallNoticeEvent = Notice<'group_recall'> & {
  group_id: number;
  user_id: number;
  operator_id: number;
  message_id: number;
};
export type FriendRecallNoticeEvent = Notice<'friend_recall'> & { user_id: number; message_id: number };

type Notify<S extends string> = Notice<'notify'> & { sub_type: S };

export type PokeNotifyEvent = Notify<'poke'> & {
  /** Absent for a poke in a private chat. */
  group_id?: number;
  user_id: number;
  target_id: number;
  /** Extension: the backend's raw action text. */
  raw_info?: unknown;
};
export type LuckyKingNotifyEvent = Notify<'lucky_king'> & {
  group_id: number;
  user_id: number;
  target_id: number;
};
export type HonorNotifyEvent = Notify<'honor'> & {
  group_id: number;
  honor_type: 'talkative' | 'performer' | 'emotion' | 'legend' | 'strong_newbie';
  user_id: number;
};
/** Extension: a member got a new special title. */
export type TitleNotifyEvent = Notify<'title'> & { group_id: number; user_id: number; title: string };
/** Extension (NapCat): the peer is typing. */
export type InputStatusNotifyEvent = Notify<'input_status'> & {
  user_id: number;
  group_id?: number;
  status_text: string;
  event_type: number;
};
/** Extension (NapCat): someone liked the bot's profile. */
export type ProfileLikeNotifyEvent = Notify<'profile_like'> & {
  operator_id: number;
  operator_nick?: string;
  times: number;
};
export type NotifyNoticeEvent =
  | PokeNotifyEvent
  | LuckyKingNotifyEvent
  | HonorNotifyEvent
  | TitleNotifyEvent
  | InputStatusNotifyEvent
  | ProfileLikeNotifyEvent;

/** Extension: a member's group card changed. */
export type GroupCardNoticeEvent = Notice<'group_card'> & {
  group_id: number;
  user_id: number;
  card_new: string;
  card_old: string;
};
/** Extension: a message was added to / removed from the group essence. */
export type EssenceNoticeEvent = Notice<'essence'> & {
  sub_type: 'add' | 'delete';
  group_id: number;
  message_id: number;
  sender_id: number;
  operator_id: number;
};
/** Extension (NapCat, LLOneBot): emoji reactions on a group message. */
export type GroupMsgEmojiLikeNoticeEvent = Notice<'group_msg_emoji_like'> & {
  group_id: number;
  user_id: number;
  message_id: number;
  likes: Array<{ emoji_id: string; count: number }>;
};
/** Extension: a file sent in a private chat. */
export type OfflineFileNoticeEvent = Notice<'offline_file'> & {
  user_id: number;
  file: { name: string; size: number; url?: string };
};

export type NoticeEvent =
  | GroupUploadNoticeEvent
  | GroupAdminNoticeEvent
  | GroupDecreaseNoticeEvent
  | GroupIncreaseNoticeEvent
  | GroupBanNoticeEvent
  | FriendAddNoticeEvent
  | GroupRecallNoticeEvent
  | FriendRecallNoticeEvent
  | NotifyNoticeEvent
  | GroupCardNoticeEvent
  | EssenceNoticeEvent
  | GroupMsgEmojiLikeNoticeEvent
  | OfflineFileNoticeEvent;

export type NoticeType = NoticeEvent['notice_type'];

/* ------------------------------------------------------------------ */
/* Requests                                                            */
/* ------------------------------------------------------------------ */

export type FriendRequestEvent = Base<'request'> & {
  request_type: 'friend';
  user_id: number;
  comment: string;
  /** Pass to `set_friend_add_request`. */
  flag: string;
};
export type GroupRequestEvent = Base<'request'> & {
  request_type: 'group';
  /** `add`: someone asks to join; `invite`: the bot is invited. */
  sub_type: 'add' | 'invite';
  group_id: number;
  user_id: number;
  comment: string;
  /** Pass to `set_group_add_request` with the same `sub_type`. */
  flag: string;
  /** Extension: who invited the requester. */
  invitor_id?: number;
};
export type RequestEvent = FriendRequestEvent | GroupRequestEvent;

/* ------------------------------------------------------------------ */
/* Meta events                                                         */
/* ------------------------------------------------------------------ */

export type LifecycleSubType = 'connect' | 'enable' | 'disable';

export type LifecycleMetaEvent = Base<'meta_event'> & {
  meta_event_type: 'lifecycle';
  sub_type: LifecycleSubType;
};
export type HeartbeatMetaEvent = Base<'meta_event'> & {
  meta_event_type: 'heartbeat';
  status: BackendStatus;
  /** Milliseconds to the next heartbeat; always a number. */
  interval: number;
};
export type MetaEvent = LifecycleMetaEvent | HeartbeatMetaEvent;

/* ------------------------------------------------------------------ */
/* The union                                                           */
/* ------------------------------------------------------------------ */

/** Every standard OneBot 11 event and the common extensions, discriminated by `post_type`. */
export type StandardEvent = MessageEvent | MessageSentEvent | NoticeEvent | RequestEvent | MetaEvent;

/** `post_type` -> the events of that type. */
export interface EventMap {
  message: MessageEvent;
  message_sent: MessageSentEvent;
  notice: NoticeEvent;
  request: RequestEvent;
  meta_event: MetaEvent;
}
