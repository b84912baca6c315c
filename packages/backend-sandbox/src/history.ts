import type { OneBotEvent, Segment } from '@onebot-gateway/core';

/**
 * Stored messages, by id and by conversation. Each conversation keeps at most
 * `historyLimit` messages: storing one more forgets the oldest everywhere, so
 * memory stays bounded whatever the traffic.
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
  add(message: StoredMessage): void;
  get(messageId: number): StoredMessage | undefined;
  remove(messageId: number): StoredMessage | undefined;
  conversation(key: string): readonly StoredMessage[];
  dropConversation(key: string): void;
  conversationSizes(): Record<string, number>;
  saveForward(nodes: ForwardNode[]): string;
  getForward(id: string): ForwardNode[] | undefined;
  size(): number;
  forwardCount(): number;
}

export function groupConversation(groupId: number): string {
  return `group:${groupId}`;
}

export function privateConversation(userId: number): string {
  return `private:${userId}`;
}

/** Message ids are positive int32, as clients store them in 32-bit fields. */
const MAX_MESSAGE_ID = 2 ** 31 - 1;

export function createMessageStore(options: { historyLimit: number; forwardLimit: number }): MessageStore {
  const byId = new Map<number, StoredMessage>();
  const byConversation = new Map<string, StoredMessage[]>();
  const forwards = new Map<string, ForwardNode[]>();
  let lastId = 0;
  let lastForwardId = 0;

  function indexIn(list: StoredMessage[], messageId: number): number {
    // Ids grow within a conversation (until the int32 wrap), so search from the end.
    for (let i = list.length - 1; i >= 0; i -= 1) if (list[i]!.message_id === messageId) return i;
    return -1;
  }

  return {
    nextId() {
      do {
        lastId = lastId >= MAX_MESSAGE_ID ? 1 : lastId + 1;
      } while (byId.has(lastId));
      return lastId;
    },
    add(message) {
      let list = byConversation.get(message.conversation);
      if (!list) byConversation.set(message.conversation, (list = []));
      list.push(message);
      byId.set(message.message_id, message);
      while (list.length > options.historyLimit) byId.delete(list.shift()!.message_id);
    },
    get: (messageId) => byId.get(messageId),
    remove(messageId) {
      const message = byId.get(messageId);
      if (!message) return undefined;
      byId.delete(messageId);
      const list = byConversation.get(message.conversation);
      const index = list ? indexIn(list, messageId) : -1;
      if (index >= 0) list!.splice(index, 1);
      return message;
    },
    conversation: (key) => byConversation.get(key) ?? [],
    dropConversation(key) {
      for (const message of byConversation.get(key) ?? []) byId.delete(message.message_id);
      byConversation.delete(key);
    },
    conversationSizes: () => Object.fromEntries([...byConversation].map(([key, list]) => [key, list.length])),
    saveForward(nodes) {
      lastForwardId += 1;
      const id = `sandbox-forward-${lastForwardId}`;
      forwards.set(id, nodes);
      if (forwards.size > options.forwardLimit) forwards.delete(forwards.keys().next().value!);
      return id;
    },
    getForward: (id) => forwards.get(id),
    size: () => byId.size,
    forwardCount: () => forwards.size,
  };
}
