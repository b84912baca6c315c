import { OneBotError, type MessageDetail, type MessageHistory, actionFailed } from '@onebot-gateway/core';

import { noticeEvent } from '../events.js';
import { groupConversation, privateConversation, type ForwardNode, type StoredMessage } from '../history.js';
import { optionalBoolean, optionalId, optionalInteger, optionalString, requiredId } from '../params.js';
import type { SandboxState } from '../state.js';
import type { Member } from '../world.js';
import {
  forwardSegments,
  messageSegments,
  messageTypeOf,
  send,
  sendResult,
  sendToGroup,
  sendToUser,
} from './message-sending.js';
import type { RegisterAction } from './register.js';

/** The message actions: sending (message-sending.ts), recalling, reading and forwarding as the bot. */

type Params = Record<string, unknown>;

function requireMessage(state: SandboxState, messageId: number): StoredMessage {
  const message = state.history.get(messageId);
  if (!message) {
    throw actionFailed(
      `message ${messageId} not found: it was recalled, dropped from history (historyLimit ${state.config.historyLimit} messages and historyConversationBytes ${state.config.historyConversationBytes} per conversation, historyTotalBytes ${state.config.historyTotalBytes} in all) or never existed`,
    );
  }
  return message;
}

/** A stored message as get_msg and the history actions return it: the event, `message` as segments. */
export function messageView(message: StoredMessage): MessageDetail {
  // The stored event has every MessageDetail field (time, message_type, ids, sender).
  return structuredClone({
    ...message.event,
    message: message.message,
    message_format: 'array',
  }) as unknown as MessageDetail;
}

function forwardView(node: ForwardNode): MessageDetail {
  // go-cqhttp clients read `content`, NapCat clients read `message`: give both.
  return structuredClone({
    ...(node.message_id === undefined ? {} : { message_id: node.message_id }),
    time: node.time,
    sender: { user_id: node.user_id, nickname: node.nickname },
    user_id: node.user_id,
    content: node.content,
    message: node.content,
    message_format: 'array',
  }) as unknown as MessageDetail;
}

function recall(state: SandboxState, messageId: number): void {
  const { world } = state;
  const message = requireMessage(state, messageId);
  if (message.message_type === 'group') {
    const group = world.requireGroup(message.group_id!);
    if (message.user_id !== world.selfId) {
      const self = world.self(group);
      // A sender who left (or an anonymous one) counts as a plain member.
      const sender: Member = group.members.get(message.user_id) ?? {
        ...self,
        user_id: message.user_id,
        role: 'member',
      };
      world.requireOutranks(group, self, sender, `delete_msg of message ${messageId}`);
    }
    state.history.remove(messageId);
    state.publish(
      noticeEvent(state, 'group_recall', {
        group_id: group.group_id,
        user_id: message.user_id,
        operator_id: world.selfId,
        message_id: messageId,
      }),
    );
    return;
  }
  if (message.user_id !== world.selfId) {
    throw actionFailed(
      `message ${messageId} was sent by user ${message.user_id}; in a private chat the bot can only recall its own messages`,
    );
  }
  state.history.remove(messageId);
  // friend_recall names the friend of the chat; the message id tells whose message it was.
  state.publish(noticeEvent(state, 'friend_recall', { user_id: message.peer_id, message_id: messageId }));
}

function historySlice(
  state: SandboxState,
  list: readonly StoredMessage[],
  params: Params,
  where: string,
): MessageHistory {
  const count = optionalInteger(params, 'count', 20);
  if (count < 1) throw new OneBotError('BAD_REQUEST', `param "count" must be at least 1, got ${count}`);
  const anchor = optionalId(params, 'message_seq') ?? optionalId(params, 'message_id');
  let end = list.length;
  if (anchor !== undefined && anchor !== 0) {
    const index = list.findIndex((message) => message.message_id === anchor);
    if (index < 0) throw actionFailed(`message ${anchor} is not in the history of ${where}`);
    end = index + 1;
  }
  const slice = list
    .slice(Math.max(0, end - Math.min(count, state.config.historyLimit)), end)
    .map(messageView);
  if (optionalBoolean(params, 'reverse_order', false) || optionalBoolean(params, 'reverseOrder', false))
    slice.reverse();
  return { messages: slice };
}

function forwardIdOf(state: SandboxState, params: Params): string {
  const id = params.id ?? params.res_id ?? params.forward_id;
  if (typeof id === 'string' && id !== '') return id;
  const messageId = optionalId(params, 'message_id') ?? (typeof id === 'number' ? id : undefined);
  if (messageId === undefined)
    throw new OneBotError(
      'BAD_REQUEST',
      'param "id" is required (the forward id, or message_id of a forward message)',
    );
  const message = requireMessage(state, messageId);
  const forward = message.message.find((segment) => segment.type === 'forward');
  if (!forward) throw actionFailed(`message ${messageId} is not a forward message`);
  return String(forward.data.id);
}

export function registerMessageActions(state: SandboxState, register: RegisterAction): void {
  const { world, history } = state;

  register('send_private_msg', (params) =>
    sendResult(
      sendToUser(
        state,
        requiredId(params, 'user_id'),
        optionalId(params, 'group_id'),
        messageSegments(params),
      ),
    ),
  );
  register('send_group_msg', (params) =>
    sendResult(sendToGroup(state, requiredId(params, 'group_id'), messageSegments(params))),
  );
  register('send_msg', (params) =>
    sendResult(send(state, params, messageTypeOf(params), messageSegments(params))),
  );

  register('send_group_forward_msg', (params) =>
    sendResult(sendToGroup(state, requiredId(params, 'group_id'), forwardSegments(params))),
  );
  register('send_private_forward_msg', (params) =>
    sendResult(
      sendToUser(
        state,
        requiredId(params, 'user_id'),
        optionalId(params, 'group_id'),
        forwardSegments(params),
      ),
    ),
  );
  register('send_forward_msg', (params) =>
    sendResult(send(state, params, messageTypeOf(params), forwardSegments(params))),
  );

  register('delete_msg', (params) => {
    recall(state, requiredId(params, 'message_id'));
    return null;
  });
  register('get_msg', (params) => messageView(requireMessage(state, requiredId(params, 'message_id'))));
  register('get_forward_msg', (params) => {
    let id = forwardIdOf(state, params);
    // NapCat clients also pass a forward message's message_id as `id`.
    if (!history.getForward(id) && /^\d+$/.test(id) && history.get(Number(id)))
      id = forwardIdOf(state, { message_id: id });
    const nodes = history.getForward(id);
    if (!nodes)
      throw actionFailed(
        `forward message "${id}" not found: it never existed or was dropped from the sandbox's store`,
      );
    return { messages: nodes.map(forwardView) };
  });

  register('get_group_msg_history', (params) => {
    const group = world.requireGroup(requiredId(params, 'group_id'));
    return historySlice(
      state,
      history.conversation(groupConversation(group.group_id)),
      params,
      `group ${group.group_id}`,
    );
  });
  register('get_friend_msg_history', (params) => {
    const userId = requiredId(params, 'user_id');
    const list = history.conversation(privateConversation(userId));
    if (list.length === 0 && !world.friends.has(userId)) world.requireFriend(userId);
    return historySlice(state, list, params, `the private chat with user ${userId}`);
  });

  const markRead = (params: Params): null => {
    const messageId = optionalId(params, 'message_id');
    const groupId = optionalId(params, 'group_id');
    const userId = optionalId(params, 'user_id');
    if (messageId !== undefined) requireMessage(state, messageId);
    else if (groupId !== undefined) world.requireGroup(groupId);
    else if (userId !== undefined) {
      if (world.nicknameOf(userId) === undefined)
        throw actionFailed(`user ${userId} is unknown to the sandbox`);
    } else
      throw new OneBotError('BAD_REQUEST', 'pass "message_id", "group_id" or "user_id" to say what was read');
    return null;
  };
  register('mark_msg_as_read', markRead);
  register('mark_private_msg_as_read', (params) => markRead({ user_id: requiredId(params, 'user_id') }));
  register('mark_group_msg_as_read', (params) => markRead({ group_id: requiredId(params, 'group_id') }));
  register('_mark_all_as_read', () => null);

  register('get_image', (params) => {
    const file = optionalString(params, 'file', '') || optionalString(params, 'file_id', '');
    if (file === '') throw new OneBotError('BAD_REQUEST', 'param "file" is required (string)');
    const image = state.images.get(file);
    if (!image) {
      throw actionFailed(
        `image "${file}" is unknown: the sandbox only knows images from messages it still remembers, and never downloads`,
      );
    }
    const url = typeof image.url === 'string' ? image.url : /^(https?|file|base64):/.test(file) ? file : '';
    return { file: url || file, url, file_name: file, file_size: String(image.file_size ?? '0') };
  });
}
