import type { OneBotEvent, Segment } from '@onebot-gateway/core';
import { groupSender, privateSender } from './events.js';
import { checkMessageSize, storeForwardIfAny } from './forward-messages.js';
import { groupConversation, messageBytes, privateConversation, type StoredMessage } from './history.js';
import { rawMessageOf } from './message-segments.js';
import type { SandboxState } from './state.js';
import type { AnonymousIdentity, Group, Member } from './world.js';

/**
 * How a message travels through the sandbox, whichever side sends it:
 * normalised to segments, forward nodes stored, given an id, kept in the
 * conversation's history and published as one event.
 */

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

/**
 * What every message needs before its event is built, whichever way it goes:
 * a forward stored, the CQ string, the size checked, an id and a time.
 */
function prepareMessage(state: SandboxState, input: Segment[]) {
  const { segments, forwardId } = storeForwardIfAny(state, input);
  const rawMessage = rawMessageOf(segments);
  const bytes = messageBytes(rawMessage);
  checkMessageSize(state, bytes, 'the message');
  return {
    segments,
    forwardId,
    rawMessage,
    bytes,
    messageId: state.history.nextId(),
    time: state.nowSeconds(),
  };
}

export function deliverGroupMessage(state: SandboxState, input: GroupMessageInput): DeliveredMessage {
  const { segments, forwardId, rawMessage, bytes, messageId, time } = prepareMessage(state, input.segments);
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
  const { segments, forwardId, rawMessage, bytes, messageId, time } = prepareMessage(state, input.segments);
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
