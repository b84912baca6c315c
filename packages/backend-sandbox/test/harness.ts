import {
  createActionRouter,
  createEventBus,
  noopLogger,
  type ActionResponse,
  type EventBus,
  type OneBotEvent,
  type ActionRouter,
} from '@onebot-gateway/core';
import { createSandboxBackend, type SandboxBackend, type SandboxConfigInput } from '../src/index.js';

export interface Harness {
  router: ActionRouter;
  bus: EventBus;
  backend: SandboxBackend;
  /** Every event, self messages included, as an array-format subscriber sees it. */
  events: OneBotEvent[];
  /** What a subscriber with reportSelfMessage: false sees. */
  eventsWithoutSelf: OneBotEvent[];
  /** Events published since the last call of `take()`, then cleared. */
  take(): OneBotEvent[];
  call(action: string, params?: Record<string, unknown>): Promise<ActionResponse>;
  /** Calls and expects retcode 0; returns data. */
  ok<T = Record<string, unknown>>(action: string, params?: Record<string, unknown>): Promise<T>;
  /** Moves the fake clock forward. */
  advance(seconds: number): void;
  dispose(): Promise<void>;
}

export const SELF = 10000;
export const ALICE = 10001; // friend, admin of GROUP
export const BOB = 10002; // friend, member of GROUP
export const CAROL = 10003; // member of GROUP, not a friend
export const GROUP = 20001;

export async function createHarness(config: SandboxConfigInput = {}): Promise<Harness> {
  const router = createActionRouter({ rateLimitIntervalMs: 5 });
  const bus = createEventBus();
  let clock = Date.UTC(2026, 0, 1, 12) as number;
  const backend = createSandboxBackend({
    config: { type: 'sandbox', ...config },
    router,
    bus,
    logger: noopLogger,
    now: () => clock,
  });
  const events: OneBotEvent[] = [];
  const eventsWithoutSelf: OneBotEvent[] = [];
  let cursor = 0;
  bus.subscribe({ format: 'array', reportSelfMessage: true }, (delivered) => events.push(delivered.event));
  bus.subscribe({ format: 'array', reportSelfMessage: false }, (delivered) =>
    eventsWithoutSelf.push(delivered.event),
  );
  await backend.start();
  const call = (action: string, params: Record<string, unknown> = {}) => router.handle({ action, params });
  return {
    router,
    bus,
    backend,
    events,
    eventsWithoutSelf,
    take() {
      const fresh = events.slice(cursor);
      cursor = events.length;
      return fresh;
    },
    call,
    async ok(action, params) {
      const response = await call(action, params);
      if (response.retcode !== 0)
        throw new Error(`${action} failed: ${response.retcode} ${response.message}`);
      return response.data as never;
    },
    advance(seconds) {
      clock += seconds * 1000;
    },
    async dispose() {
      await backend.stop();
      router.dispose();
    },
  };
}

export function text(value: string) {
  return [{ type: 'text', data: { text: value } }];
}
