import {
  createActionRouter,
  createAdapterContext,
  createEventBus,
  type ActionRouter,
  type AdapterContext,
  type BackendStatus,
  type EventBus,
  type Logger,
  type OneBotEvent,
  type Segment,
} from '@onebot-gateway/core';
import { actionFailed } from '@onebot-gateway/core/internal';
import { createRecordingLogger, type RecordingLogger } from './recording-logger.js';

export const FAKE_SELF_ID = 10001;

export interface FakeBackend {
  router: ActionRouter;
  bus: EventBus;
  logger: RecordingLogger;
  /** Every action the backend ran, in order, with coerced params. */
  calls: Array<{ action: string; params: Record<string, unknown> }>;
  /**
   * The first recorded call of `action` (at once when there is one already):
   * for actions that run in the background, e.g. `_async`, without polling.
   */
  callOf(action: string, timeoutMs?: number): Promise<{ action: string; params: Record<string, unknown> }>;
  status: BackendStatus;
  /** When set, the context's `backendStatus()` throws it: a backend that cannot report its health. */
  statusError: Error | undefined;
  /** A context as the gateway would hand it to the adapter `name`. */
  context(name?: string): AdapterContext;
  /** Publish a private or group message event from `user_id`; returns the event. */
  emitMessage(options?: FakeMessageOptions): OneBotEvent;
  /** Publish the bot's own message (`message_sent`). */
  emitSelfMessage(options?: FakeMessageOptions): OneBotEvent;
  emit(event: OneBotEvent): void;
  dispose(): void;
}

export interface FakeMessageOptions {
  message_type?: 'private' | 'group';
  user_id?: number;
  group_id?: number;
  message?: Segment[];
  message_id?: number;
}

/**
 * A small, deterministic backend for adapter tests. Actions:
 * - `get_login_info`, `get_status`, `get_version_info`: fixed answers
 * - `send_private_msg`, `send_group_msg`, `send_msg`: record the call, answer a message_id
 * - `echo_params`: answers its (coerced) params as data
 * - `always_fails`: retcode 100 with a reason
 * - `always_throws`: an unexpected error, so 1500
 * - `slow_action` {ms}: answers after `ms`
 * Anything else is 1404, like a real backend.
 */
export function createFakeBackend(options: { logger?: Logger } = {}): FakeBackend {
  const logger = createRecordingLogger(options.logger);
  const router = createActionRouter({ logger, rateLimitIntervalMs: 20 });
  const bus = createEventBus({ logger });
  const calls: FakeBackend['calls'] = [];
  const callWaiters = new Set<() => void>();
  const recordCall = (action: string, params: Record<string, unknown>): void => {
    calls.push({ action, params });
    for (const wake of callWaiters) wake();
  };
  const status: BackendStatus = { online: true, good: true };
  let nextMessageId = 1;

  const record = (action: string) => (params: Record<string, unknown>) => {
    recordCall(action, params);
    return { message_id: nextMessageId++ };
  };
  router.register('get_login_info', () => ({ user_id: FAKE_SELF_ID, nickname: 'FakeBot' }));
  router.register('get_status', () => ({ ...status }));
  router.register('get_version_info', () => ({
    app_name: 'fake-backend',
    app_version: '0.0.0',
    protocol_version: 'v11',
  }));
  router.register('send_private_msg', record('send_private_msg'));
  router.register('send_group_msg', record('send_group_msg'));
  router.register('send_msg', record('send_msg'));
  for (const action of [
    'delete_msg',
    'set_group_kick',
    'set_group_ban',
    'set_group_anonymous_ban',
    'set_friend_add_request',
    'set_group_add_request',
  ]) {
    router.register(action, (params) => {
      recordCall(action, params);
      return null;
    });
  }
  router.register('echo_params', (params) => {
    recordCall('echo_params', params);
    return params;
  });
  router.register('always_fails', () => {
    throw actionFailed('this action always fails (fake backend)');
  });
  router.register('always_throws', () => {
    throw new Error('fake backend bug');
  });
  router.register('slow_action', async (params) => {
    await new Promise((resolve) => setTimeout(resolve, Number(params.ms ?? 100)));
    return { waited: Number(params.ms ?? 100) };
  });

  function messageEvent(postType: 'message' | 'message_sent', o: FakeMessageOptions): OneBotEvent {
    const messageType = o.message_type ?? 'private';
    const userId = postType === 'message_sent' ? FAKE_SELF_ID : (o.user_id ?? 20002);
    const message = o.message ?? [{ type: 'text', data: { text: 'hello' } }];
    const raw = message.map((s) => (s.type === 'text' ? String(s.data.text) : `[CQ:${s.type}]`)).join('');
    return {
      time: Math.floor(Date.now() / 1000),
      self_id: FAKE_SELF_ID,
      post_type: postType,
      message_type: messageType,
      sub_type: messageType === 'group' ? 'normal' : 'friend',
      message_id: o.message_id ?? nextMessageId++,
      user_id: userId,
      ...(messageType === 'group' ? { group_id: o.group_id ?? 30003, anonymous: null } : {}),
      message,
      raw_message: raw,
      font: 0,
      sender: { user_id: userId, nickname: postType === 'message_sent' ? 'FakeBot' : 'Alice' },
    };
  }

  const fake: FakeBackend = {
    router,
    bus,
    logger,
    calls,
    callOf(action, timeoutMs = 3000) {
      const find = () => calls.find((call) => call.action === action);
      const found = find();
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const wake = () => {
          const call = find();
          if (!call) return;
          callWaiters.delete(wake);
          clearTimeout(timer);
          resolve(call);
        };
        const timer = setTimeout(() => {
          callWaiters.delete(wake);
          reject(new Error(`the fake backend saw no ${action} call within ${timeoutMs} ms`));
        }, timeoutMs);
        callWaiters.add(wake);
      });
    },
    status,
    statusError: undefined,
    context: (name = 'test-adapter') =>
      createAdapterContext(
        {
          router,
          bus,
          logger,
          selfId: () => FAKE_SELF_ID,
          backendStatus: () => {
            if (fake.statusError) throw fake.statusError;
            return status;
          },
        },
        name,
      ),
    emitMessage(o = {}) {
      const event = messageEvent('message', o);
      bus.publish(event);
      return event;
    },
    emitSelfMessage(o = {}) {
      const event = messageEvent('message_sent', o);
      bus.publish(event);
      return event;
    },
    emit: (event) => bus.publish(event),
    dispose: () => router.dispose(),
  };
  return fake;
}
