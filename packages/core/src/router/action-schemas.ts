import type { ActionName } from '../types/actions.js';
import type { ParamSchema } from './param-schema.js';

/*
 * Parameter schemas of the standard OneBot 11 actions and the common
 * extensions. The router coerces with them whatever backend runs the action
 * (a relay included), so `"123"` is an id and `"yes"` a boolean everywhere.
 * Defaults are the OneBot 11 defaults, filled in so handlers need not know
 * them. `satisfies` keeps this table and `ActionMap` in step: a missing or
 * extra action is a compile error (action-schemas.test.ts checks the keys of
 * every entry too).
 */

const id = { type: 'integer', required: true } as const;
const optionalId = { type: 'integer' } as const;
const int = { type: 'integer' } as const;
const text = { type: 'string', required: true } as const;
const optionalText = { type: 'string' } as const;
const flag = { type: 'boolean' } as const;
const message = { type: 'message', required: true } as const;
const optionalMessage = { type: 'message' } as const;
const noCache = { type: 'boolean', default: false } as const;
const enabledByDefault = { type: 'boolean', default: true } as const;
const approveByDefault = { type: 'boolean', default: true } as const;
/** go-cqhttp / NapCat history paging. */
const history = { message_seq: int, count: { type: 'integer', default: 20 }, reverseOrder: flag } as const;
const forwardNodes = { messages: optionalMessage, message: optionalMessage } as const;

const schemas = {
  /* messages */
  send_private_msg: {
    user_id: id,
    group_id: optionalId,
    message,
    auto_escape: { type: 'boolean', default: false },
  },
  send_group_msg: { group_id: id, message, auto_escape: { type: 'boolean', default: false } },
  send_msg: {
    message_type: optionalText,
    user_id: optionalId,
    group_id: optionalId,
    message,
    auto_escape: { type: 'boolean', default: false },
  },
  delete_msg: { message_id: id },
  get_msg: { message_id: id },
  get_forward_msg: { id: optionalText, message_id: optionalText },
  send_like: { user_id: id, times: { type: 'integer', default: 1 } },

  /* group administration */
  set_group_kick: { group_id: id, user_id: id, reject_add_request: { type: 'boolean', default: false } },
  set_group_ban: { group_id: id, user_id: id, duration: { type: 'integer', default: 1800 } },
  set_group_anonymous_ban: {
    group_id: id,
    anonymous: { type: 'object' },
    anonymous_flag: optionalText,
    flag: optionalText,
    duration: { type: 'integer', default: 1800 },
  },
  set_group_whole_ban: { group_id: id, enable: enabledByDefault },
  set_group_admin: { group_id: id, user_id: id, enable: enabledByDefault },
  set_group_anonymous: { group_id: id, enable: enabledByDefault },
  set_group_card: { group_id: id, user_id: id, card: { type: 'string', default: '' } },
  set_group_name: { group_id: id, group_name: text },
  set_group_leave: { group_id: id, is_dismiss: { type: 'boolean', default: false } },
  set_group_special_title: {
    group_id: id,
    user_id: id,
    special_title: { type: 'string', default: '' },
    duration: { type: 'integer', default: -1 },
  },

  /* requests */
  set_friend_add_request: { flag: text, approve: approveByDefault, remark: optionalText },
  set_group_add_request: {
    flag: text,
    sub_type: optionalText,
    type: optionalText,
    approve: approveByDefault,
    reason: optionalText,
  },

  /* information */
  get_login_info: {},
  get_stranger_info: { user_id: id, no_cache: noCache },
  get_friend_list: {},
  get_group_info: { group_id: id, no_cache: noCache },
  get_group_list: { no_cache: noCache },
  get_group_member_info: { group_id: id, user_id: id, no_cache: noCache },
  get_group_member_list: { group_id: id, no_cache: noCache },
  get_group_honor_info: { group_id: id, type: text },
  get_cookies: { domain: optionalText },
  get_csrf_token: {},
  get_credentials: { domain: optionalText },
  get_record: { file: text, out_format: text },
  // NapCat and LLOneBot clients send file_id (the id of an image segment) instead of file.
  get_image: { file: optionalText, file_id: optionalText },
  can_send_image: {},
  can_send_record: {},
  get_status: {},
  get_version_info: {},
  set_restart: { delay: { type: 'integer', default: 0 } },
  clean_cache: {},

  '.handle_quick_operation': { context: { type: 'object', required: true }, operation: { type: 'any' } },

  /* extensions: history and forwarding */
  get_group_msg_history: { group_id: id, ...history },
  get_friend_msg_history: { user_id: id, ...history },
  send_group_forward_msg: { group_id: id, ...forwardNodes },
  send_private_forward_msg: { user_id: id, ...forwardNodes },
  send_forward_msg: {
    message_type: optionalText,
    user_id: optionalId,
    group_id: optionalId,
    ...forwardNodes,
  },
  mark_msg_as_read: { message_id: optionalId, user_id: optionalId, group_id: optionalId },
  mark_private_msg_as_read: { user_id: id },
  mark_group_msg_as_read: { group_id: id },
  _mark_all_as_read: {},
  get_recent_contact: { count: { type: 'integer', default: 10 } },

  /* extensions: account */
  get_guild_service_profile: {},
  set_qq_profile: {
    nickname: text,
    company: optionalText,
    email: optionalText,
    college: optionalText,
    personal_note: optionalText,
  },
  set_qq_avatar: { file: text },
  set_online_status: { status: id, ext_status: int, battery_status: int },
  get_online_clients: { no_cache: noCache },
  get_unidirectional_friend_list: {},
  delete_friend: { user_id: id },
  set_friend_remark: { user_id: id, remark: text },
  set_input_status: { user_id: id, event_type: id },
  friend_poke: { user_id: id },
  group_poke: { group_id: id, user_id: id },
  send_poke: { user_id: id, group_id: optionalId },
  set_msg_emoji_like: { message_id: id, emoji_id: text, set: { type: 'boolean', default: true } },
  ocr_image: { image: text },
  download_file: {
    url: optionalText,
    base64: optionalText,
    name: optionalText,
    thread_count: int,
    headers: { type: 'any' },
  },

  /* extensions: groups */
  get_group_system_msg: {},
  set_essence_msg: { message_id: id },
  delete_essence_msg: { message_id: id },
  get_essence_msg_list: { group_id: id },
  get_group_at_all_remain: { group_id: id },
  set_group_portrait: { group_id: id, file: text },
  send_group_sign: { group_id: id },
  set_group_sign: { group_id: id },
  _send_group_notice: { group_id: id, content: text, image: optionalText },
  _get_group_notice: { group_id: id },

  /* extensions: files */
  upload_group_file: { group_id: id, file: text, name: text, folder: optionalText, folder_id: optionalText },
  upload_private_file: { user_id: id, file: text, name: text },
  get_group_root_files: { group_id: id },
  get_group_files_by_folder: { group_id: id, folder_id: text },
  get_group_file_url: { group_id: id, file_id: text, busid: int },
  get_group_file_system_info: { group_id: id },
  delete_group_file: { group_id: id, file_id: text, busid: int },
  create_group_file_folder: { group_id: id, name: text, parent_id: optionalText },
  delete_group_folder: { group_id: id, folder_id: text },
  get_file: { file_id: optionalText, file: optionalText },
} as const satisfies Record<ActionName, ParamSchema>;

/** The literal schema table, for type-level checks against `ActionMap`. */
export type StandardActionSchemas = typeof schemas;

/** Schemas by action name (standard OneBot 11 and the common extensions). */
export const standardActionSchemas: Readonly<Record<string, ParamSchema>> = schemas;
