import {
  OneBotError,
  normalizeMessage,
  type MessageInput,
  type OneBotEvent,
  type Segment,
} from '@onebot-gateway/core';
import { actionFailed, buildRawMessage, readForwardNode, isPlainObject } from '@onebot-gateway/core/internal';
import { groupSender, privateSender } from './events.js';
import {
  groupConversation,
  messageBytes,
  privateConversation,
  type ForwardNode,
  type StoredMessage,
} from './history.js';
import type { SandboxState } from './state.js';
import type { AnonymousIdentity, Group, Member } from './world.js';

/**
 * How a message travels through the sandbox, whichever side sends it:
 * normalised to segments, forward nodes stored, given an id, kept in the
 * conversation's history and published as one event.
 */

/** Forward messages nested deeper than this are refused (a real client caps nesting too). */
const MAX_FORWARD_DEPTH = 8;

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

function isForwardMessage(segments: Segment[]): boolean {
  return segments.length > 0 && segments.every((segment) => segment.type === 'node');
}

/** Turn `node` segments (by id, or custom in either spelling) into stored forward nodes. */
export function resolveForwardNodes(state: SandboxState, nodes: Segment[], depth = 1): ForwardNode[] {
  if (depth > MAX_FORWARD_DEPTH) {
    throw actionFailed(`forward message nests deeper than ${MAX_FORWARD_DEPTH} levels; flatten it`);
  }
  return nodes.map((segment, index) => {
    if (segment.type !== 'node') {
      throw new OneBotError(
        'BAD_REQUEST',
        `messages[${index}] is a "${segment.type}" segment; a forward message holds only "node" segments`,
      );
    }
    const node = readForwardNode(segment);
    if (!node)
      throw new OneBotError(
        'BAD_REQUEST',
        `forward node ${index} needs either "id" (a stored message) or "content"`,
      );
    if (node.kind === 'reference') {
      const stored = state.history.get(Number(node.id));
      if (!stored)
        throw actionFailed(
          `forward node ${index} quotes message ${node.id}, which the sandbox does not have`,
        );
      const sender = stored.event.sender as { nickname?: unknown } | undefined;
      return {
        user_id: stored.user_id,
        nickname: String(sender?.nickname ?? state.world.nicknameOf(stored.user_id) ?? ''),
        time: stored.time,
        content: stored.message,
        message_id: stored.message_id,
      };
    }
    // A custom node without a sender speaks as the bot.
    const userId = node.userId === '' ? state.world.selfId : Number(node.userId);
    if (!Number.isSafeInteger(userId) || userId <= 0) {
      throw new OneBotError(
        'BAD_REQUEST',
        `forward node ${index}: user_id/uin must be a QQ number, got ${JSON.stringify(node.userId)}`,
      );
    }
    let content = toSegments(node.content, false, `forward node ${index} content`);
    if (isForwardMessage(content)) {
      const nestedId = saveForward(state, resolveForwardNodes(state, content, depth + 1));
      content = [{ type: 'forward', data: { id: nestedId } }];
    }
    const time = Number(node.time ?? state.nowSeconds());
    return {
      user_id: userId,
      nickname: node.nickname || (state.world.nicknameOf(userId) ?? `User ${userId}`),
      time: Number.isSafeInteger(time) ? time : state.nowSeconds(),
      content,
    };
  });
}

/**
 * Refuse (retcode 100, before anything is stored or published) a message
 * larger than `maxMessageBytes`: the history is bounded in bytes, and one
 * message must not take most of it.
 */
function checkMessageSize(state: SandboxState, bytes: number, what: string): void {
  const limit = state.config.maxMessageBytes;
  if (bytes > limit) {
    throw actionFailed(
      `${what} is ${bytes} bytes as a CQ string, over the sandbox's limit of ${limit} (gateway.backend.maxMessageBytes); send a smaller one`,
    );
  }
}

/** A forward's size: its nodes' content as CQ strings, plus names. */
function forwardBytes(nodes: ForwardNode[]): number {
  let bytes = 0;
  for (const node of nodes) bytes += messageBytes(rawMessageOf(node.content)) + messageBytes(node.nickname);
  return bytes;
}

function saveForward(state: SandboxState, nodes: ForwardNode[]): string {
  const bytes = forwardBytes(nodes);
  checkMessageSize(state, bytes, 'the forward message');
  return state.history.saveForward(nodes, bytes);
}

/** A message made only of `node` segments is sent as a forward: stored, and sent as one `forward` segment. */
function storeForwardIfAny(
  state: SandboxState,
  segments: Segment[],
): { segments: Segment[]; forwardId?: string } {
  if (!isForwardMessage(segments)) return { segments };
  const forwardId = saveForward(state, resolveForwardNodes(state, segments));
  return { segments: [{ type: 'forward', data: { id: forwardId } }], forwardId };
}

export interface GroupMessageInput {
  postType: 'message' | 'message_sent';
  group: Group;
  sender: Member;
  segments: Segment[];
  /** Operator overrides of the `sender` object. */
  senderOverrides?: Record<string, unknown>;
  anonymous?: AnonymousIdentity;
}

export interface PrivateMessageInput {
  postType: 'message' | 'message_sent';
  /** The other party: the friend or temporary-session user. */
  peerId: number;
  senderId: number;
  senderNickname: string;
  subType: 'friend' | 'group';
  /** For a temporary session, the group it goes through. */
  viaGroupId?: number;
  segments: Segment[];
  senderOverrides?: Record<string, unknown>;
}

export interface DeliveredMessage {
  message_id: number;
  forward_id?: string;
  event: OneBotEvent;
}

/** Bounded memory: image files remembered for get_image. */
const REMEMBERED_IMAGES = 1000;

function rememberImages(state: SandboxState, segments: Segment[]): void {
  for (const segment of segments) {
    const file = segment.data.file;
    if (segment.type !== 'image' || (typeof file !== 'string' && typeof file !== 'number')) continue;
    state.images.delete(String(file));
    if (state.images.size >= REMEMBERED_IMAGES) state.images.delete(state.images.keys().next().value!);
    state.images.set(String(file), { ...segment.data });
  }
}

function store(
  state: SandboxState,
  stored: Omit<StoredMessage, 'event'>,
  event: OneBotEvent,
): DeliveredMessage {
  state.history.add({ ...stored, event });
  rememberImages(state, stored.message);
  if (event.post_type === 'message_sent') state.stats.messagesSent += 1;
  else state.stats.messagesReceived += 1;
  state.publish(event);
  return { message_id: stored.message_id, event };
}

export function deliverGroupMessage(state: SandboxState, input: GroupMessageInput): DeliveredMessage {
  const { segments, forwardId } = storeForwardIfAny(state, input.segments);
  const rawMessage = rawMessageOf(segments);
  const bytes = messageBytes(rawMessage);
  checkMessageSize(state, bytes, 'the message');
  const messageId = state.history.nextId();
  const time = state.nowSeconds();
  const anonymous = input.anonymous;
  const userId = anonymous ? 80000000 : input.sender.user_id;
  if (!anonymous) input.sender.last_sent_time = time;
  const sender = anonymous
    ? { user_id: userId, nickname: anonymous.name, card: '', role: 'member', ...input.senderOverrides }
    : { ...groupSender(input.sender), ...input.senderOverrides, user_id: userId };
  const event: OneBotEvent = {
    time,
    self_id: state.world.selfId,
    post_type: input.postType,
    message_type: 'group',
    sub_type: anonymous ? 'anonymous' : 'normal',
    message_id: messageId,
    message_seq: messageId,
    real_id: messageId,
    group_id: input.group.group_id,
    user_id: userId,
    anonymous: anonymous ? { id: anonymous.id, name: anonymous.name, flag: anonymous.flag } : null,
    message: segments,
    raw_message: rawMessage,
    font: 0,
    sender,
  };
  const delivered = store(
    state,
    {
      message_id: messageId,
      message_type: 'group',
      conversation: groupConversation(input.group.group_id),
      group_id: input.group.group_id,
      user_id: userId,
      time,
      message: segments,
      raw_message: rawMessage,
      bytes,
    },
    event,
  );
  return forwardId ? { ...delivered, forward_id: forwardId } : delivered;
}

export function deliverPrivateMessage(state: SandboxState, input: PrivateMessageInput): DeliveredMessage {
  const { segments, forwardId } = storeForwardIfAny(state, input.segments);
  const rawMessage = rawMessageOf(segments);
  const bytes = messageBytes(rawMessage);
  checkMessageSize(state, bytes, 'the message');
  const messageId = state.history.nextId();
  const time = state.nowSeconds();
  const event: OneBotEvent = {
    time,
    self_id: state.world.selfId,
    post_type: input.postType,
    message_type: 'private',
    sub_type: input.subType,
    message_id: messageId,
    message_seq: messageId,
    real_id: messageId,
    user_id: input.senderId,
    // NapCat's field: who the bot's own private message went to.
    ...(input.postType === 'message_sent' ? { target_id: input.peerId } : {}),
    // go-cqhttp's field for a temporary session (0 = through a group). No
    // group_id: bots that test `event.group_id` would take it for a group message.
    ...(input.viaGroupId === undefined ? {} : { temp_source: 0 }),
    message: segments,
    raw_message: rawMessage,
    font: 0,
    sender: {
      ...privateSender(input.senderId, input.senderNickname),
      // PrivateSender's extension: the group a temporary session goes through.
      ...(input.viaGroupId === undefined ? {} : { group_id: input.viaGroupId }),
      ...input.senderOverrides,
      user_id: input.senderId,
    },
  };
  const delivered = store(
    state,
    {
      message_id: messageId,
      message_type: 'private',
      conversation: privateConversation(input.peerId),
      peer_id: input.peerId,
      user_id: input.senderId,
      time,
      message: segments,
      raw_message: rawMessage,
      bytes,
    },
    event,
  );
  return forwardId ? { ...delivered, forward_id: forwardId } : delivered;
}
