import type { AdapterContext, Logger, OneBotEvent } from '@onebot-gateway/core';
import { OneBotError, normalizeMessage, type Segment } from '@onebot-gateway/core';
import { eventKinds } from './event-kinds.js';
import { PluginActionError } from './plugin-action-error.js';
import type { PluginContext, PluginEventHandler } from './types.js';
import { settleWithin } from '@onebot-gateway/core/internal';

/** Where a reply goes: the conversation the event came from. */
interface ReplyTarget {
  action: 'send_group_msg' | 'send_private_msg';
  params: { group_id: unknown } | { user_id: number; group_id?: unknown };
}

function describeEvent(event: OneBotEvent): string {
  const detail = event.message_type ?? event.notice_type ?? event.request_type ?? event.meta_event_type;
  return typeof detail === 'string' ? `${String(event.post_type)}.${detail}` : String(event.post_type);
}

/**
 * The conversation to answer in, or undefined when there is none:
 * - a message (or the bot's own, `message_sent`) answers where it was said,
 *   by its `message_type` (a temporary private chat may carry a group_id);
 * - a notice or request with a `group_id` answers in that group;
 * - otherwise privately, to the other party: `user_id`, or `target_id` when
 *   `user_id` is the bot itself (its own private message, a poke it sent);
 *   a temporary chat (private, sub_type `group`) through its group.
 * Meta events and events with nobody but the bot have no conversation.
 */
function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function replyTarget(event: OneBotEvent, selfId: number): ReplyTarget | undefined {
  if (event.post_type === 'meta_event') return undefined;
  const isMessage = event.post_type === 'message' || event.post_type === 'message_sent';
  const inGroup = isMessage ? event.message_type === 'group' : isPresent(event.group_id);
  if (inGroup)
    return isPresent(event.group_id)
      ? { action: 'send_group_msg', params: { group_id: event.group_id } }
      : undefined;
  const peer = event.user_id === selfId || event.user_id === undefined ? event.target_id : event.user_id;
  if (typeof peer !== 'number' || peer === selfId) return undefined;
  // A temporary chat is answered through the group it came from, as core's quick operation does.
  const tempGroup =
    isMessage && event.sub_type === 'group' && isPresent(event.group_id) ? event.group_id : undefined;
  const params = tempGroup === undefined ? { user_id: peer } : { user_id: peer, group_id: tempGroup };
  return { action: 'send_private_msg', params };
}

/** The reply as segments, with the sender mentioned first when asked (in groups; never anonymous senders or the bot). */
function buildReplySegments(
  event: OneBotEvent,
  target: ReplyTarget,
  selfId: number,
  message: Parameters<PluginContext['reply']>[1],
  options: { atSender?: boolean; autoEscape?: boolean },
): Segment[] {
  const segments = normalizeMessage(message, options.autoEscape ?? false);
  const mentionable = typeof event.user_id === 'number' && event.user_id !== selfId && !event.anonymous;
  if (target.action !== 'send_group_msg' || !options.atSender || !mentionable) return segments;
  return [
    { type: 'at', data: { qq: String(event.user_id) } },
    { type: 'text', data: { text: ' ' } },
    ...segments,
  ];
}

export interface PluginInstance {
  ctx: PluginContext;
  /** Hand one event to every handler of its kinds; never throws, never waits. */
  dispatch(event: OneBotEvent): void;
  /** Handlers currently registered (for leak checks). */
  handlerCount(): number;
  /** Run every onDispose callback (bounded wait) and make the context inert. */
  dispose(): Promise<void>;
}

export interface PluginInstanceOptions {
  name: string;
  context: AdapterContext;
  logger: Logger;
  options: Record<string, unknown>;
  dataDir: string;
  disposeTimeoutMs: number;
}

/**
 * One loaded plugin's context. Every handler call is isolated: a throw or a
 * rejection is logged with the plugin's name and goes no further, and no
 * handler is awaited, so one that never settles holds nobody up.
 */
export function createPluginInstance(options: PluginInstanceOptions): PluginInstance {
  const { name, context, logger } = options;
  const handlers = new Map<string, Set<PluginEventHandler>>();
  const disposers: Array<() => unknown> = [];
  let disposed = false;

  function reportHandlerError(kind: string, error: unknown): void {
    logger.error({ err: error, plugin: name, kind }, `plugin "${name}" handler for "${kind}" failed`);
  }

  function runHandler(kind: string, handler: PluginEventHandler, event: OneBotEvent): void {
    try {
      const result = handler(event);
      if (result && typeof (result as PromiseLike<unknown>).then === 'function') {
        (result as PromiseLike<unknown>).then(undefined, (error: unknown) => reportHandlerError(kind, error));
      }
    } catch (error) {
      reportHandlerError(kind, error);
    }
  }

  function assertAlive(what: string): void {
    if (disposed) {
      throw new OneBotError('ACTION_FAILED', `plugin "${name}" was disposed; ${what} is no longer possible`);
    }
  }

  const callRaw: PluginContext['callRaw'] = async (action, params = {}) => {
    assertAlive(`calling "${action}"`);
    return context.callAction({ action, params });
  };

  const call = async <T>(action: string, params: Record<string, unknown> = {}): Promise<T> => {
    const response = await callRaw(action, params);
    if (response.retcode !== 0 && response.status !== 'async') throw new PluginActionError(action, response);
    return response.data as T;
  };

  const ctx: PluginContext = {
    name,
    logger,
    options: options.options,
    dataDir: options.dataDir,
    selfId: () => context.selfId(),
    on(kind: string, handler: PluginEventHandler) {
      if (disposed) return () => {};
      let set = handlers.get(kind);
      if (!set) handlers.set(kind, (set = new Set()));
      set.add(handler);
      return () => {
        set.delete(handler);
        if (set.size === 0 && handlers.get(kind) === set) handlers.delete(kind);
      };
    },
    call,
    callRaw,
    async reply(event, message, replyOptions = {}) {
      const selfId = context.selfId();
      const target = replyTarget(event, selfId);
      if (!target) {
        throw new OneBotError(
          'ACTION_FAILED',
          `plugin "${name}": ctx.reply cannot answer a ${describeEvent(event)} event: it belongs to no conversation with someone else`,
        );
      }
      const segments = buildReplySegments(event, target, selfId, message, replyOptions);
      return call<{ message_id: number }>(target.action, { ...target.params, message: segments });
    },
    async quickOperation(event, operation) {
      await call('.handle_quick_operation', { context: event, operation });
    },
    onDispose(fn) {
      if (disposed) {
        void Promise.resolve()
          .then(fn)
          .catch((error: unknown) => reportHandlerError('dispose', error));
        return;
      }
      disposers.push(fn);
    },
  } as PluginContext;

  return {
    ctx,
    dispatch(event) {
      if (disposed) return;
      for (const kind of eventKinds(event)) {
        const set = handlers.get(kind);
        if (!set) continue;
        for (const handler of [...set]) runHandler(kind, handler, event);
      }
    },
    handlerCount: () => [...handlers.values()].reduce((sum, set) => sum + set.size, 0),
    async dispose() {
      if (disposed) return;
      disposed = true;
      handlers.clear();
      const pending = disposers.splice(0).reverse();
      for (const fn of pending) {
        try {
          const outcome = await settleWithin(Promise.resolve().then(fn), options.disposeTimeoutMs);
          if (!outcome.settled) {
            logger.warn(
              { plugin: name },
              `plugin "${name}" onDispose callback still running after ${options.disposeTimeoutMs} ms; moving on`,
            );
          }
        } catch (error) {
          reportHandlerError('dispose', error);
        }
      }
    },
  };
}
