import { afterEach, beforeEach, describe, it } from 'vitest';
import { createFakeBackend, type FakeBackend } from '../fake-backend.js';
import { conformanceGroups, type CaseContext, type ConformanceCase } from './case-types.js';
import { conformanceCases } from './cases.js';
import { conformanceDrivers, conformanceFlags, type BotSide } from './drivers.js';
import { createHarness, type Harness } from './harness.js';
import type { ConformanceOptions, ConformanceSettings, ConformanceTarget, EventStream } from './types.js';

export { CONFORMANCE_TOKEN } from './cases-auth.js';

const defaultSettings: ConformanceSettings = {
  token: '',
  messagePostFormat: 'array',
  reportSelfMessage: false,
  heartInterval: 0,
};

/** What one test started, torn down after it. */
interface TestState {
  backend: FakeBackend;
  target?: ConformanceTarget;
  bot?: BotSide;
  streams: EventStream[];
}

/**
 * The shared adapter conformance suite (protocol.md sections 2-4). Call it at
 * the top level of a test file in the adapter's package; it registers its
 * own describe/it blocks: every case of `conformanceCases` whose flags the
 * adapter has (its `kind`'s driver flags plus those of its capabilities).
 * See the testkit README for a worked example.
 */
export function runAdapterConformance(options: ConformanceOptions): void {
  const { capabilities: caps, kind } = options;
  const timeoutMs = options.timeoutMs ?? 3000;
  const driver = conformanceDrivers[kind];
  const flags = conformanceFlags(kind, caps);
  const applies = (testCase: ConformanceCase) => testCase.needs.every((flag) => flags.has(flag));

  describe(`${options.name} conformance`, () => {
    let state: TestState | undefined;

    beforeEach(() => {
      state = { backend: createFakeBackend(), streams: [] };
    });

    afterEach(async () => {
      const { backend, target, bot, streams } = state!;
      state = undefined;
      await Promise.allSettled(streams.splice(0).map((s) => s.close()));
      await target?.stop();
      await bot?.close();
      backend.dispose();
    });

    async function start(overrides: Partial<ConformanceSettings> = {}): Promise<Harness> {
      const current = state!;
      const settings = { ...defaultSettings, ...overrides };
      const bot = (current.bot = await driver.startBot(timeoutMs));
      const target = (current.target = await options.createTarget({
        backend: current.backend,
        context: current.backend.context(options.name),
        settings,
        receiverUrl: bot.receiverUrl,
      }));
      return createHarness({
        name: options.name,
        caps,
        settings,
        timeoutMs,
        target,
        bot,
        streams: current.streams,
      });
    }

    const context: CaseContext = {
      get backend() {
        return state!.backend;
      },
      caps,
      timeoutMs,
      has: (flag) => flags.has(flag),
      start,
      get target() {
        const target = state?.target;
        if (!target) throw new Error('no adapter yet: call start() first');
        return target;
      },
      async nextNonHeartbeat(stream) {
        for (;;) {
          const event = await stream.next(timeoutMs);
          if (event.meta_event_type !== 'heartbeat') return event;
        }
      },
    };

    for (const group of conformanceGroups) {
      const cases = conformanceCases.filter((testCase) => testCase.group === group && applies(testCase));
      if (cases.length === 0) continue;
      describe(group, () => {
        for (const testCase of cases) {
          const name = typeof testCase.name === 'string' ? testCase.name : testCase.name(caps);
          it(name, () => testCase.run(context));
        }
      });
    }
  });
}
