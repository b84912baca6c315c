import { afterEach } from 'vitest';
import {
  createActionRouter,
  createEventBus,
  type ActionRouter,
  type EventBus,
  type Logger,
  type OneBotEvent,
} from '@onebot-gateway/core';
import { createRecordingLogger, type RecordingLogger } from '@onebot-gateway/testkit';
import { createUpstreamBackend, type UpstreamBackend } from '../src/index.js';
import { startFakeUpstream, type FakeUpstream } from './fake-upstream.js';

export interface RelayScope {
  /** The fake upstream of this test (started by the first `relay()` or `startUpstream()`). */
  readonly upstream: FakeUpstream;
  /** The relay of this test: the last one `relay()` or `create()` made. */
  readonly backend: UpstreamBackend;
  readonly router: ActionRouter;
  readonly bus: EventBus;
  /** What the relay logged (unless `create()` was given another logger). */
  readonly logger: RecordingLogger;
  /** Every event the relay published, as an array-format client got it. */
  readonly published: OneBotEvent[];
  startUpstream(): Promise<FakeUpstream>;
  /** A started relay on this test's fake upstream, `config` over its URL. */
  relay(config?: Record<string, unknown>): Promise<UpstreamBackend>;
  /** A relay that is not started yet, on its own router and bus, with exactly `config`. */
  create(config: Record<string, unknown>, logger?: Logger): UpstreamBackend;
  /** A ws:// URL where an upstream listened a moment ago and no longer does. */
  deadUrl(): Promise<string>;
}

/**
 * The per-test scaffolding of the relay's tests: a fake upstream, a router, a bus and a relay, torn
 * down after each test. Call it inside the `describe` (it registers an afterEach hook).
 * `encodeStrings` adds a string-format subscriber, so every message event also runs the CQ encoder.
 */
export function useRelayScope(options: { encodeStrings?: boolean } = {}): RelayScope {
  let upstream: FakeUpstream | undefined;
  let backend: UpstreamBackend | undefined;
  let router: ActionRouter | undefined;
  let bus: EventBus | undefined;
  let logger: RecordingLogger | undefined;
  let published: OneBotEvent[] = [];

  afterEach(async () => {
    await backend?.stop();
    await upstream?.close();
    router?.dispose();
    backend = upstream = router = bus = logger = undefined;
  });

  const defined = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`no ${what} yet in this test`);
    return value;
  };

  const scope: RelayScope = {
    get upstream() {
      return defined(upstream, 'fake upstream');
    },
    get backend() {
      return defined(backend, 'relay');
    },
    get router() {
      return defined(router, 'router');
    },
    get bus() {
      return defined(bus, 'bus');
    },
    get logger() {
      return defined(logger, 'logger');
    },
    get published() {
      return published;
    },
    async startUpstream() {
      upstream ??= await startFakeUpstream();
      return upstream;
    },
    async relay(config = {}) {
      const { url } = await scope.startUpstream();
      const relay = scope.create({ url, ...config });
      await relay.start();
      return relay;
    },
    create(config, customLogger) {
      router = createActionRouter();
      bus = createEventBus();
      logger = createRecordingLogger();
      published = [];
      const formats = options.encodeStrings ? (['array', 'string'] as const) : (['array'] as const);
      for (const format of formats)
        bus.subscribe({ format, reportSelfMessage: true }, (delivered) => {
          if (format === 'array') published.push(delivered.event);
          if (options.encodeStrings) void delivered.json;
        });
      backend = createUpstreamBackend({ config, router, bus, logger: customLogger ?? logger });
      return backend;
    },
    async deadUrl() {
      const dead = await startFakeUpstream();
      await dead.close();
      return dead.url;
    },
  };
  return scope;
}
