import { httpStatusForRetcode } from '@onebot-gateway/core/internal';
import { expect } from 'vitest';
import { missingTargetMethod, type BotSide } from './drivers.js';
import type { ReceivedConnection, ReceivedPost } from './receivers.js';
import type {
  AuthInput,
  CallOutcome,
  ConformanceCapabilities,
  ConformanceSettings,
  ConformanceTarget,
  EventStream,
  Rejected,
} from './types.js';

type Frame = Record<string, unknown>;

/** A bot talking to the adapter started for one test. */
export interface Harness {
  settings: ConformanceSettings;
  /** Send a request (object -> JSON, string -> sent as is) with the right auth unless told otherwise. */
  call(request: unknown, auth?: AuthInput): Promise<CallOutcome>;
  /** An answered call; fails the test when it was rejected. */
  answer(request: unknown, auth?: AuthInput): Promise<Frame>;
  /** Open an event stream (right auth unless told otherwise); lifecycle already consumed when `skipLifecycle`. */
  events(options?: { auth?: AuthInput; skipLifecycle?: boolean }): Promise<EventStream>;
  openEvents(auth: AuthInput): Promise<EventStream | Rejected>;
  /** Client kinds: headers of the adapter's first connection/post. */
  clientHeaders(): Promise<Record<string, string | string[] | undefined>>;
  /** reverseWs: the adapter's connection to the suite's receiver. */
  connection(): Promise<ReceivedConnection>;
  /** postsEvents: the next POST the adapter made. */
  nextPost(label: string): Promise<ReceivedPost>;
}

export function isRejected(value: unknown): value is Rejected {
  return typeof value === 'object' && value !== null && (value as Rejected).rejected === true;
}

export interface HarnessParts {
  name: string;
  caps: ConformanceCapabilities;
  settings: ConformanceSettings;
  timeoutMs: number;
  target: ConformanceTarget;
  bot: BotSide;
  /** Streams opened through the target, closed after the test. */
  streams: EventStream[];
}

const notFor = (what: string) => (): never => {
  throw new Error(`${what} is for client kinds`);
};

export function createHarness(parts: HarnessParts): Harness {
  const { name, caps, settings, timeoutMs, target, bot, streams } = parts;
  const rightAuth: AuthInput =
    settings.token === '' ? { kind: 'none' } : { kind: 'header', value: `Bearer ${settings.token}` };

  const call = async (request: unknown, auth: AuthInput = rightAuth): Promise<CallOutcome> => {
    const body = typeof request === 'string' ? request : JSON.stringify(request);
    if (bot.callAction) return bot.callAction(body);
    if (!target.callAction) throw missingTargetMethod(name, 'callAction', 'actions');
    return target.callAction(body, auth);
  };

  const openEvents = async (auth: AuthInput): Promise<EventStream | Rejected> => {
    if (bot.openEvents) return bot.openEvents();
    if (!target.openEvents) throw missingTargetMethod(name, 'openEvents', 'events');
    const stream = await target.openEvents(auth);
    if (!isRejected(stream)) streams.push(stream);
    return stream;
  };

  return {
    settings,
    call,
    async answer(request, auth) {
      const outcome = await call(request, auth);
      if (outcome.rejected)
        throw new Error(`expected an answer, the request was rejected with HTTP ${outcome.status}`);
      if (outcome.httpStatus !== undefined) {
        expect(outcome.httpStatus, 'HTTP status matches the retcode').toBe(
          httpStatusForRetcode(outcome.response.retcode as number),
        );
      }
      return outcome.response;
    },
    async events({ auth = rightAuth, skipLifecycle = true } = {}) {
      const stream = await openEvents(auth);
      if (isRejected(stream))
        throw new Error(`expected an event stream, it was rejected with HTTP ${stream.status}`);
      if (skipLifecycle && caps.lifecycle) {
        const first = await stream.next(timeoutMs);
        expect(first).toMatchObject({
          post_type: 'meta_event',
          meta_event_type: 'lifecycle',
          sub_type: caps.lifecycle,
        });
      }
      return stream;
    },
    openEvents,
    clientHeaders: bot.clientHeaders ?? notFor('clientHeaders'),
    connection: bot.connection ?? notFor('connection'),
    nextPost: bot.nextPost ?? notFor('nextPost'),
  };
}
