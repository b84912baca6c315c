import type { ParamSchema } from './param-schema.js';

/**
 * Parameter schemas of the standard OneBot 11 actions and the common
 * extensions, used by the router for coercion whatever backend runs them.
 */
const id = { type: 'integer', required: true } as const;
const optionalId = { type: 'integer' } as const;
const message = { type: 'message', required: true } as const;
const flag = { type: 'boolean' } as const;

export const standardActionSchemas: Record<string, ParamSchema> = {
  send_private_msg: { user_id: id, group_id: optionalId, message, auto_escape: flag },
  send_group_msg: { group_id: id, message, auto_escape: flag },
  send_msg: { message_type: { type: 'string' }, user_id: optionalId, group_id: optionalId, message, auto_escape: flag },
  delete_msg: { message_id: id },
  get_msg: { message_id: id },
  get_login_info: {},
};
