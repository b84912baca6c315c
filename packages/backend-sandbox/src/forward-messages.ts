import { OneBotError, type Segment, actionFailed } from '@onebot-gateway/core';
import { readForwardNode } from '@onebot-gateway/core/internal';
import { messageBytes, type ForwardNode } from './history.js';
import { rawMessageOf, toSegments } from './message-segments.js';
import type { SandboxState } from './state.js';

/**
 * Forward messages: `node` segments (a stored message by id, or custom
 * content) resolved into stored nodes, bounded in depth and in bytes.
 */

/** Forward messages nested deeper than this are refused (a real client caps nesting too). */
const MAX_FORWARD_DEPTH = 8;

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
export function checkMessageSize(state: SandboxState, bytes: number, what: string): void {
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
export function storeForwardIfAny(
  state: SandboxState,
  segments: Segment[],
): { segments: Segment[]; forwardId?: string } {
  if (!isForwardMessage(segments)) return { segments };
  const forwardId = saveForward(state, resolveForwardNodes(state, segments));
  return { segments: [{ type: 'forward', data: { id: forwardId } }], forwardId };
}
