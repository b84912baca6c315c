import { afterEach } from 'vitest';
import { createFakeBackend, type FakeBackend } from '@onebot-gateway/testkit';
import type { Adapter, HttpClientConfig } from '@onebot-gateway/core';
import { createHttpClientAdapter, type HttpClientOptions } from '../../src/index.js';
import { startReceiver, type Receiver, type ReceiverHandler } from './receiver.js';

export interface Fixtures {
  /** Run `cleanup` after the current test (the last deferred runs first). */
  defer(cleanup: () => Promise<void> | void): void;
  /** A recording endpoint, closed after the test. */
  receiver(handler?: ReceiverHandler): Promise<Receiver>;
  /** A fake backend, disposed of after the test. */
  backend(): FakeBackend;
  /** An http-client adapter on `b`, started, stopped after the test. */
  started(b: FakeBackend, config: Partial<HttpClientOptions>): Promise<Adapter<HttpClientConfig>>;
}

/** What a test file opens, closed after each of its tests whatever the outcome. Call at module level. */
export function useFixtures(): Fixtures {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const defer = (cleanup: () => Promise<void> | void): void => void cleanups.push(cleanup);
  return {
    defer,
    async receiver(handler) {
      const r = await startReceiver(handler);
      defer(() => r.close());
      return r;
    },
    backend() {
      const b = createFakeBackend();
      defer(() => b.dispose());
      return b;
    },
    async started(b, config) {
      const adapter = createHttpClientAdapter(config, b.context(config.name ?? 'http-client'));
      defer(() => adapter.stop());
      await adapter.start();
      return adapter;
    },
  };
}
