import type { AdapterContext, Logger, OneBotEvent } from '@onebot-gateway/core';
import { OneBotError, normalizeMessage, type Segment } from '@onebot-gateway/core';
import { eventKinds } from './event-kinds.js';
import { PluginActionError } from './plugin-action-error.js';
import type { PluginContext, PluginEventHandler } from './types.js';

/** The reply as segments, with the sender mentioned first when asked (groups, never anonymous). */
function buildReplySegments(event: OneBotEvent, message: Parameters<PluginContext['reply']>[1], options: { atSender?: boolean; autoEscape?: boolean }): Segment[] {
  const segments = normalizeMessage(message, options.autoEscape ?? false);
  if (event.message_type !== 'group' || !options.atSender || event.anonymous) return segments;
  return [{ type: 'at', data: { qq: String(event.user_id) } }, { type: 'text', data: { text: ' ' } }, ...segments];
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

  const call = async <T,>(action: string, params: Record<string, unknown> = {}): Promise<T> => {
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
      const isGroup = event.message_type === 'group';
      const target = isGroup ? { group_id: event.group_id } : { user_id: event.user_id };
      const segments = buildReplySegments(event, message, replyOptions);
      return call<{ message_id: number }>(isGroup ? 'send_group_msg' : 'send_private_msg', {
        ...target,
        message: segments,
      });
    },
    async quickOperation(event, operation) {
      await call('.handle_quick_operation', { context: event, operation });
    },
    onDispose(fn) {
      if (disposed) {
        void Promise.resolve().then(fn).catch((error: unknown) => reportHandlerError('dispose', error));
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
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            logger.warn({ plugin: name }, `plugin "${name}" onDispose callback still running after ${options.disposeTimeoutMs} ms; moving on`);
            resolve();
          }, options.disposeTimeoutMs);
        });
        try {
          await Promise.race([Promise.resolve().then(fn), timeout]);
        } catch (error) {
          reportHandlerError('dispose', error);
        } finally {
          clearTimeout(timer);
        }
      }
    },
  };
}
