import type { BackendStatus } from '../adapter.js';
import type { OneBotEvent, GroupRole, Sex, AnonymousInfo, PrivateSender, GroupSender } from './events.js';
import type { MessageInput, Segment } from './segments.js';

/** The request a bot framework sends: over HTTP, WebSocket or a plugin call. */
export interface ActionRequest {
  action: string;
  params?: Record<string, unknown>;
  /** Copied back verbatim when the key is present, whatever its JSON type. */
  echo?: unknown;
}

export type ActionStatus = 'ok' | 'async' | 'failed';

export interface ActionResponse<T = unknown> {
  status: ActionStatus;
  retcode: number;
  data: T;
  message: string;
  wording: string;
  echo?: unknown;
}

/*
 * The action catalogue. Params are what a caller may send (ids as numbers:
 * the router also accepts numeric strings, but typed code should not need
 * them); results are what a conforming backend answers in `data`.
 * Param and result shapes are type aliases so they stay assignable to
 * `Record<string, unknown>`.
 */

/* ------------------------------------------------------------------ */
/* Result shapes                                                       */
/* ------------------------------------------------------------------ */

export type MessageIdResult = {
  message_id: number;
  /** Extension (forward messages). */ res_id?: string;
  forward_id?: string;
};

export type LoginInfo = { user_id: number; nickname: string };

export type StrangerInfo = {
  user_id: number;
  nickname: string;
  sex: Sex;
  age: number;
  /** Extension fields some backends add (qid, level, long_nick, ...). */
  [extra: string]: unknown;
};

export type FriendInfo = { user_id: number; nickname: string; remark: string; [extra: string]: unknown };

export type GroupInfo = {
  group_id: number;
  group_name: string;
  member_count: number;
  max_member_count: number;
  [extra: string]: unknown;
};

export type GroupMemberInfo = {
  group_id: number;
  user_id: number;
  nickname: string;
  card: string;
  sex: Sex;
  age: number;
  area: string;
  /** Seconds. */
  join_time: number;
  /** Seconds. */
  last_sent_time: number;
  level: string;
  role: GroupRole;
  unfriendly: boolean;
  title: string;
  /** Seconds; 0 or -1 for never. */
  title_expire_time: number;
  card_changeable: boolean;
  /** Extension: end of the mute, seconds. */
  shut_up_timestamp?: number;
  [extra: string]: unknown;
};

export type HonorType = 'talkative' | 'performer' | 'legend' | 'strong_newbie' | 'emotion' | 'all';

export type HonorHolder = { user_id: number; nickname: string; avatar: string; description: string };

export type GroupHonorInfo = {
  group_id: number;
  current_talkative?: { user_id: number; nickname: string; avatar: string; day_count: number };
  talkative_list?: HonorHolder[];
  performer_list?: HonorHolder[];
  legend_list?: HonorHolder[];
  strong_newbie_list?: HonorHolder[];
  emotion_list?: HonorHolder[];
};

/** What `get_msg` answers. */
export type MessageDetail = {
  time: number;
  message_type: 'private' | 'group';
  message_id: number;
  real_id: number;
  sender: PrivateSender | GroupSender;
  message: Segment[] | string;
  /** Extension fields (group_id, raw_message, message_seq, ...). */
  [extra: string]: unknown;
};

/** What `get_forward_msg` answers: the nodes of a forward message. */
export type ForwardMessageResult = {
  /** go-cqhttp / NapCat spelling. */
  messages?: Array<MessageDetail | Segment>;
  /** OneBot 11 spelling. */
  message?: Array<MessageDetail | Segment>;
};

export type MessageHistory = { messages: MessageDetail[] };

export type Cookies = { cookies: string };
export type CsrfToken = { token: number };
export type Credentials = Cookies & CsrfToken;
export type FileResult = { file: string; [extra: string]: unknown };
export type YesResult = { yes: boolean };

export type VersionInfo = {
  app_name: string;
  app_version: string;
  protocol_version: string;
  [extra: string]: unknown;
};

export type GroupSystemMessage = {
  invited_requests: GroupSystemRequest[] | null;
  join_requests: GroupSystemRequest[] | null;
};
export type GroupSystemRequest = {
  request_id: number | string;
  invitor_uin?: number;
  invitor_nick?: string;
  requester_uin?: number;
  requester_nick?: string;
  group_id: number;
  group_name: string;
  message?: string;
  checked: boolean;
  actor: number;
  [extra: string]: unknown;
};

export type EssenceMessage = {
  sender_id: number;
  sender_nick: string;
  sender_time: number;
  operator_id: number;
  operator_nick: string;
  operator_time: number;
  message_id: number;
  [extra: string]: unknown;
};

export type GuildServiceProfile = { nickname: string; tiny_id: string; avatar_url: string };

export type GroupFileEntry = {
  group_id: number;
  file_id: string;
  file_name: string;
  busid: number;
  file_size: number;
  upload_time: number;
  dead_time: number;
  modify_time: number;
  download_times: number;
  uploader: number;
  uploader_name: string;
  [extra: string]: unknown;
};
export type GroupFolderEntry = {
  group_id: number;
  folder_id: string;
  folder_name: string;
  create_time: number;
  creator: number;
  creator_name: string;
  total_file_count: number;
  [extra: string]: unknown;
};
export type GroupFilesResult = { files: GroupFileEntry[]; folders: GroupFolderEntry[] };

export type GroupAtAllRemain = {
  can_at_all: boolean;
  remain_at_all_count_for_group: number;
  remain_at_all_count_for_uin: number;
};

export type GroupNotice = {
  sender_id: number;
  publish_time: number;
  notice_id?: string;
  message: { text: string; images?: Array<{ id: string; height?: string; width?: string }> };
  [extra: string]: unknown;
};

export type OcrResult = {
  texts: Array<{ text: string; confidence: number; coordinates: Array<{ x: number; y: number }> }>;
  language: string;
};

export type OnlineClient = { app_id: number; device_name: string; device_kind: string };

/* ------------------------------------------------------------------ */
/* Param shapes                                                        */
/* ------------------------------------------------------------------ */

type Empty = Record<string, never>;

type MessageParams = {
  message: MessageInput;
  /** Send a string message as plain text, CQ codes not parsed. Default false. */
  auto_escape?: boolean;
};

export type SendPrivateMsgParams = MessageParams & {
  user_id: number;
  /** Extension: send as a temporary session from this group. */
  group_id?: number;
};
export type SendGroupMsgParams = MessageParams & { group_id: number };
export type SendMsgParams = MessageParams & {
  /** Inferred from which id is present when absent. */
  message_type?: 'private' | 'group';
  user_id?: number;
  group_id?: number;
};
export type ForwardNodes = MessageInput;
/** The nodes go in `messages`; `message` is accepted as an alias by most backends. */
type ForwardNodeParams = { messages?: ForwardNodes; message?: ForwardNodes };
export type SendGroupForwardMsgParams = ForwardNodeParams & { group_id: number };
export type SendPrivateForwardMsgParams = ForwardNodeParams & { user_id: number };
export type SendForwardMsgParams = ForwardNodeParams & {
  message_type?: 'private' | 'group';
  user_id?: number;
  group_id?: number;
};

type MessageIdParams = { message_id: number };
type GroupParams = { group_id: number };
type GroupUserParams = { group_id: number; user_id: number };

/* ------------------------------------------------------------------ */
/* The map                                                             */
/* ------------------------------------------------------------------ */

/** One entry of the map: what an action takes and what it answers in `data`. */
export type ActionSpec<P, R> = { params: P; result: R };

/**
 * Action name -> { params, result } for every standard OneBot 11 action and
 * the common extensions. Used by the plugin's typed `ctx.call(action, params)`.
 * Extend it by declaration merging for a backend's own actions.
 */
export interface ActionMap {
  /* messages */
  send_private_msg: ActionSpec<SendPrivateMsgParams, MessageIdResult>;
  send_group_msg: ActionSpec<SendGroupMsgParams, MessageIdResult>;
  send_msg: ActionSpec<SendMsgParams, MessageIdResult>;
  delete_msg: ActionSpec<MessageIdParams, null>;
  get_msg: ActionSpec<MessageIdParams, MessageDetail>;
  /** `id` is the forward id of a `forward` segment; some backends call it `message_id`. */
  get_forward_msg: ActionSpec<{ id?: string; message_id?: string }, ForwardMessageResult>;
  send_like: ActionSpec<{ user_id: number; /** Default 1. */ times?: number }, null>;

  /* group administration */
  set_group_kick: ActionSpec<GroupUserParams & { /** Default false. */ reject_add_request?: boolean }, null>;
  set_group_ban: ActionSpec<
    GroupUserParams & { /** Seconds; 0 lifts the ban. Default 1800. */ duration?: number },
    null
  >;
  set_group_anonymous_ban: ActionSpec<
    GroupParams & {
      anonymous?: AnonymousInfo;
      /** The `flag` of the anonymous sender (either spelling). */
      anonymous_flag?: string;
      flag?: string;
      /** Seconds. Default 1800. */
      duration?: number;
    },
    null
  >;
  set_group_whole_ban: ActionSpec<GroupParams & { /** Default true. */ enable?: boolean }, null>;
  set_group_admin: ActionSpec<GroupUserParams & { /** Default true. */ enable?: boolean }, null>;
  set_group_anonymous: ActionSpec<GroupParams & { /** Default true. */ enable?: boolean }, null>;
  set_group_card: ActionSpec<GroupUserParams & { /** Empty removes the card. */ card?: string }, null>;
  set_group_name: ActionSpec<GroupParams & { group_name: string }, null>;
  set_group_leave: ActionSpec<
    GroupParams & { /** Dismiss the group when the bot owns it. Default false. */ is_dismiss?: boolean },
    null
  >;
  set_group_special_title: ActionSpec<
    GroupUserParams & { special_title?: string; /** Seconds, -1 forever. Default -1. */ duration?: number },
    null
  >;

  /* requests */
  set_friend_add_request: ActionSpec<
    { flag: string; /** Default true. */ approve?: boolean; remark?: string },
    null
  >;
  set_group_add_request: ActionSpec<
    {
      flag: string;
      /** `add` or `invite`, as in the request event (`type` is the older spelling). */
      sub_type?: 'add' | 'invite';
      type?: 'add' | 'invite';
      /** Default true. */
      approve?: boolean;
      /** Why a request is refused. */
      reason?: string;
    },
    null
  >;

  /* information */
  get_login_info: ActionSpec<Empty, LoginInfo>;
  get_stranger_info: ActionSpec<{ user_id: number; no_cache?: boolean }, StrangerInfo>;
  get_friend_list: ActionSpec<Empty, FriendInfo[]>;
  get_group_info: ActionSpec<GroupParams & { no_cache?: boolean }, GroupInfo>;
  get_group_list: ActionSpec<{ no_cache?: boolean }, GroupInfo[]>;
  get_group_member_info: ActionSpec<GroupUserParams & { no_cache?: boolean }, GroupMemberInfo>;
  get_group_member_list: ActionSpec<GroupParams & { no_cache?: boolean }, GroupMemberInfo[]>;
  get_group_honor_info: ActionSpec<GroupParams & { type: HonorType }, GroupHonorInfo>;
  get_cookies: ActionSpec<{ domain?: string }, Cookies>;
  get_csrf_token: ActionSpec<Empty, CsrfToken>;
  get_credentials: ActionSpec<{ domain?: string }, Credentials>;
  get_record: ActionSpec<{ file: string; out_format: string }, FileResult>;
  /** One of `file` or `file_id` (the extension spelling) is required. */
  get_image: ActionSpec<{ file?: string; file_id?: string }, FileResult>;
  can_send_image: ActionSpec<Empty, YesResult>;
  can_send_record: ActionSpec<Empty, YesResult>;
  get_status: ActionSpec<Empty, BackendStatus>;
  get_version_info: ActionSpec<Empty, VersionInfo>;
  set_restart: ActionSpec<{ /** Milliseconds. Default 0. */ delay?: number }, null>;
  clean_cache: ActionSpec<Empty, null>;

  /* quick operations (the implicit action of HTTP POST replies) */
  /** `operation` missing or not an object means "nothing to do" (protocol.md section 6). */
  '.handle_quick_operation': ActionSpec<{ context: OneBotEvent; operation?: Record<string, unknown> }, null>;

  /* extensions: history and forwarding */
  get_group_msg_history: ActionSpec<
    GroupParams & { message_seq?: number; count?: number; reverseOrder?: boolean },
    MessageHistory
  >;
  get_friend_msg_history: ActionSpec<
    { user_id: number; message_seq?: number; count?: number; reverseOrder?: boolean },
    MessageHistory
  >;
  send_group_forward_msg: ActionSpec<SendGroupForwardMsgParams, MessageIdResult>;
  send_private_forward_msg: ActionSpec<SendPrivateForwardMsgParams, MessageIdResult>;
  send_forward_msg: ActionSpec<SendForwardMsgParams, MessageIdResult>;
  mark_msg_as_read: ActionSpec<{ message_id?: number; user_id?: number; group_id?: number }, null>;
  mark_private_msg_as_read: ActionSpec<{ user_id: number }, null>;
  mark_group_msg_as_read: ActionSpec<GroupParams, null>;
  _mark_all_as_read: ActionSpec<Empty, null>;
  get_recent_contact: ActionSpec<{ count?: number }, unknown[]>;

  /* extensions: account */
  get_guild_service_profile: ActionSpec<Empty, GuildServiceProfile>;
  set_qq_profile: ActionSpec<
    { nickname: string; company?: string; email?: string; college?: string; personal_note?: string },
    null
  >;
  set_qq_avatar: ActionSpec<{ file: string }, null>;
  set_online_status: ActionSpec<{ status: number; ext_status?: number; battery_status?: number }, null>;
  get_online_clients: ActionSpec<{ no_cache?: boolean }, { clients: OnlineClient[] }>;
  get_unidirectional_friend_list: ActionSpec<
    Empty,
    Array<{ user_id: number; nickname: string; source: string }>
  >;
  delete_friend: ActionSpec<{ user_id: number }, null>;
  set_friend_remark: ActionSpec<{ user_id: number; remark: string }, null>;
  set_input_status: ActionSpec<{ user_id: number; event_type: number }, null>;
  friend_poke: ActionSpec<{ user_id: number }, null>;
  group_poke: ActionSpec<GroupUserParams, null>;
  send_poke: ActionSpec<{ user_id: number; group_id?: number }, null>;
  set_msg_emoji_like: ActionSpec<{ message_id: number; emoji_id: string; set?: boolean }, null>;
  ocr_image: ActionSpec<{ image: string }, OcrResult>;
  download_file: ActionSpec<
    { url?: string; base64?: string; name?: string; thread_count?: number; headers?: string | string[] },
    FileResult
  >;

  /* extensions: groups */
  get_group_system_msg: ActionSpec<Empty, GroupSystemMessage>;
  set_essence_msg: ActionSpec<MessageIdParams, null>;
  delete_essence_msg: ActionSpec<MessageIdParams, null>;
  get_essence_msg_list: ActionSpec<GroupParams, EssenceMessage[]>;
  get_group_at_all_remain: ActionSpec<GroupParams, GroupAtAllRemain>;
  set_group_portrait: ActionSpec<GroupParams & { file: string }, null>;
  send_group_sign: ActionSpec<GroupParams, null>;
  set_group_sign: ActionSpec<GroupParams, null>;
  _send_group_notice: ActionSpec<GroupParams & { content: string; image?: string }, null>;
  _get_group_notice: ActionSpec<GroupParams, GroupNotice[]>;

  /* extensions: files */
  upload_group_file: ActionSpec<
    GroupParams & { file: string; name: string; folder?: string; folder_id?: string },
    { file_id?: string } | null
  >;
  upload_private_file: ActionSpec<
    { user_id: number; file: string; name: string },
    { file_id?: string } | null
  >;
  get_group_root_files: ActionSpec<GroupParams, GroupFilesResult>;
  get_group_files_by_folder: ActionSpec<GroupParams & { folder_id: string }, GroupFilesResult>;
  get_group_file_url: ActionSpec<GroupParams & { file_id: string; busid?: number }, { url: string }>;
  get_group_file_system_info: ActionSpec<
    GroupParams,
    { file_count: number; limit_count: number; used_space: number; total_space: number }
  >;
  delete_group_file: ActionSpec<GroupParams & { file_id: string; busid?: number }, null>;
  create_group_file_folder: ActionSpec<GroupParams & { name: string; parent_id?: string }, null>;
  delete_group_folder: ActionSpec<GroupParams & { folder_id: string }, null>;
  get_file: ActionSpec<{ file_id?: string; file?: string }, FileResult>;
}

export type ActionName = keyof ActionMap;
export type ActionParams<A extends ActionName> = ActionMap[A]['params'];
export type ActionResult<A extends ActionName> = ActionMap[A]['result'];
/** The whole response of one action, `data` typed: what `callAction` resolves to for `A`. */
export type ActionResponseOf<A extends ActionName> = ActionResponse<ActionResult<A> | null>;
