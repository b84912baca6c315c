import type { OneBotEvent, Segment } from '@onebot-gateway/core';

/**
 * Stored messages, by id and by conversation. Each conversation keeps at most
 * `historyLimit` messages and `conversationBytes` bytes, and the whole store
 * (forward messages included) at most `totalBytes`: storing one more forgets
 * the oldest, so memory stays bounded in bytes, not only in counts, whatever
 * the traffic (1000 messages of 16 MiB would otherwise be kept).
 */
export interface StoredMessage {
  message_id: number;
  message_type: 'private' | 'group';
  /** `group:<id>` or `private:<user id of the other party>`. */
  conversation: string;
  group_id?: number;
  /** Private chats: the other party (the friend), whoever sent the message. */
  peer_id?: number;
  /** Who sent it (the bot's id for its own messages). */
  user_id: number;
  /** Seconds. */
  time: number;
  message: Segment[];
  raw_message: string;
  /** The event as it was published (`message` or `message_sent`). */
  event: OneBotEvent;
  /** Its size as the history counts it: `messageBytes(raw_message)`. */
  bytes: number;
}

export interface ForwardNode {
  user_id: number;
  nickname: string;
  time: number;
  content: Segment[];
  /** Set when the node quoted a stored message by id. */
  message_id?: number;
}

export interface MessageStore {
  nextId(): number;
  /** Store a message; the oldest messages and forwards go when a bound is passed. */
  add(message: StoredMessage): void;
  get(messageId: number): StoredMessage | undefined;
  remove(messageId: number): StoredMessage | undefined;
  conversation(key: string): readonly StoredMessage[];
  dropConversation(key: string): void;
  conversationSizes(): Record<string, number>;
  /** Store a forward message of `bytes` bytes (see `forwardBytes`). */
  saveForward(nodes: ForwardNode[], bytes: number): string;
  getForward(id: string): ForwardNode[] | undefined;
  size(): number;
  forwardCount(): number;
  /** Bytes held, messages and forwards. */
  bytes(): number;
}

export interface MessageStoreOptions {
  /** Messages kept per conversation. */
  historyLimit: number;
  /** Forward messages kept in all. */
  forwardLimit: number;
  /** Bytes kept per conversation. */
  conversationBytes: number;
  /** Bytes kept in all, messages and forwards. */
  totalBytes: number;
}

/**
 * The size the history counts for a message: the UTF-8 bytes of its CQ
 * string. The heap it takes is about that (segments, raw message and event
 * share their strings), up to twice for text that needed escaping.
 */
export function messageBytes(rawMessage: string): number {
  return Buffer.byteLength(rawMessage, 'utf8');
}

export function groupConversation(groupId: number): string {
  return `group:${groupId}`;
}

export function privateConversation(userId: number): string {
  return `private:${userId}`;
}

/** Message ids are positive int32, as clients store them in 32-bit fields. */
const MAX_MESSAGE_ID = 2 ** 31 - 1;

export function createMessageStore(options: MessageStoreOptions): MessageStore {
  const byId = new Map<number, StoredMessage>();
  const byConversation = new Map<string, { list: StoredMessage[]; bytes: number }>();
  const forwards = new Map<string, { nodes: ForwardNode[]; bytes: number; order: number }>();
  /** Storing order of messages and forwards alike, to evict the oldest of either. */
  const orderOf = new WeakMap<StoredMessage, number>();
  let lastOrder = 0;
  let totalBytes = 0;
  let lastId = 0;
  let lastForwardId = 0;

  function indexIn(list: StoredMessage[], messageId: number): number {
    // Ids grow within a conversation (until the int32 wrap), so search from the end.
    for (let i = list.length - 1; i >= 0; i -= 1) if (list[i]!.message_id === messageId) return i;
    return -1;
  }

  /** Forget the oldest message of a conversation (its list is in storing order). */
  function dropOldestOf(conversation: { list: StoredMessage[]; bytes: number }): void {
    const oldest = conversation.list.shift()!;
    conversation.bytes -= oldest.bytes;
    totalBytes -= oldest.bytes;
    byId.delete(oldest.message_id);
  }

  function dropForward(id: string): void {
    const forward = forwards.get(id)!;
    forwards.delete(id);
    totalBytes -= forward.bytes;
  }

  /** Over the total: forget the oldest message or forward, whichever was stored first. */
  function keepWithinTotal(): void {
    while (totalBytes > options.totalBytes) {
      const oldestMessage = byId.values().next().value;
      const oldestForward = forwards.entries().next().value;
      if (oldestMessage && (!oldestForward || orderOf.get(oldestMessage)! < oldestForward[1].order)) {
        dropOldestOf(byConversation.get(oldestMessage.conversation)!);
      } else if (oldestForward) {
        dropForward(oldestForward[0]);
      } else {
        return;
      }
    }
  }

  return {
    nextId() {
      do {
        lastId = lastId >= MAX_MESSAGE_ID ? 1 : lastId + 1;
      } while (byId.has(lastId));
      return lastId;
    },
    add(message) {
      let conversation = byConversation.get(message.conversation);
      if (!conversation) byConversation.set(message.conversation, (conversation = { list: [], bytes: 0 }));
      conversation.list.push(message);
      conversation.bytes += message.bytes;
      totalBytes += message.bytes;
      byId.set(message.message_id, message);
      orderOf.set(message, (lastOrder += 1));
      // The new message itself stays: a message over a bound is refused before it gets here.
      while (
        conversation.list.length > 1 &&
        (conversation.list.length > options.historyLimit || conversation.bytes > options.conversationBytes)
      ) {
        dropOldestOf(conversation);
      }
      keepWithinTotal();
    },
    get: (messageId) => byId.get(messageId),
    remove(messageId) {
      const message = byId.get(messageId);
      if (!message) return undefined;
      byId.delete(messageId);
      const conversation = byConversation.get(message.conversation);
      const index = conversation ? indexIn(conversation.list, messageId) : -1;
      if (index >= 0) {
        conversation!.list.splice(index, 1);
        conversation!.bytes -= message.bytes;
        totalBytes -= message.bytes;
      }
      return message;
    },
    conversation: (key) => byConversation.get(key)?.list ?? [],
    dropConversation(key) {
      const conversation = byConversation.get(key);
      if (!conversation) return;
      for (const message of conversation.list) byId.delete(message.message_id);
      totalBytes -= conversation.bytes;
      byConversation.delete(key);
    },
    conversationSizes: () =>
      Object.fromEntries([...byConversation].map(([key, conversation]) => [key, conversation.list.length])),
    saveForward(nodes, bytes) {
      lastForwardId += 1;
      const id = `sandbox-forward-${lastForwardId}`;
      forwards.set(id, { nodes, bytes, order: (lastOrder += 1) });
      totalBytes += bytes;
      if (forwards.size > options.forwardLimit) dropForward(forwards.keys().next().value!);
      keepWithinTotal();
      return id;
    },
    getForward: (id) => forwards.get(id)?.nodes,
    size: () => byId.size,
    forwardCount: () => forwards.size,
    bytes: () => totalBytes,
  };
}
