import {
  startHttpReceiver,
  startWsReceiver,
  type ReceivedConnection,
  type ReceivedPost,
} from './receivers.js';
import type {
  CallOutcome,
  ConformanceCapabilities,
  ConformanceKind,
  ConformanceTarget,
  EventStream,
} from './types.js';

/**
 * What an adapter under test can do, as flags. A case runs for an adapter
 * when the adapter has every flag the case needs (see cases.ts).
 *
 * From the adapter's capabilities:
 * - `servesActions`, `receivesEvents`, `heartbeat`, `signs` (http-client's X-Signature)
 * - `lifecycle`: its event streams start with a lifecycle event
 * - `serverAuth`: it checks a bot's token (a server with `auth: 'server'`)
 * - `clientAuth`: it sends its token to the bot (a client with `auth: 'client'`)
 *
 * From its kind (the driver):
 * - `listens`: it is a server; after stop nothing answers
 * - `connectsOut`: it is a client; the suite's receiver plays the bot
 * - `reverseWs`: it connects to the bot over WebSocket (ws-client)
 * - `postsEvents`: it POSTs events to the bot (http-client)
 */
export type ConformanceFlag =
  | 'servesActions'
  | 'receivesEvents'
  | 'heartbeat'
  | 'signs'
  | 'lifecycle'
  | 'serverAuth'
  | 'clientAuth'
  | 'listens'
  | 'connectsOut'
  | 'reverseWs'
  | 'postsEvents';

/**
 * The bot side of one test, started before the adapter. Its methods, when
 * present, replace the target's: a client adapter is reached through the
 * receiver it connects to, not through the target.
 */
export interface BotSide {
  /** Client kinds: where the adapter must connect or post. */
  receiverUrl?: string;
  callAction?(body: string): Promise<CallOutcome>;
  openEvents?(): Promise<EventStream>;
  clientHeaders?(): Promise<Record<string, string | string[] | undefined>>;
  /** reverseWs: the adapter's connection to the receiver (the first one). */
  connection?(): Promise<ReceivedConnection>;
  /** postsEvents: the next POST the adapter made. */
  nextPost?(label: string): Promise<ReceivedPost>;
  close(): Promise<void>;
}

/** How the suite reaches adapters of one kind: the flags every such adapter has and its bot side. */
export interface ConformanceDriver {
  readonly flags: readonly ConformanceFlag[];
  startBot(timeoutMs: number): Promise<BotSide>;
}

/** Servers and in-process adapters are reached through the target's callAction/openEvents. */
const throughTarget = async (): Promise<BotSide> => ({ close: async () => {} });

/**
 * One entry per adapter kind. A new kind is a new entry here (and a value of
 * `ConformanceKind`); a new adapter of a known kind only calls
 * `runAdapterConformance` with its capabilities.
 */
export const conformanceDrivers: Record<ConformanceKind, ConformanceDriver> = {
  server: { flags: ['listens'], startBot: throughTarget },
  'in-process': { flags: [], startBot: throughTarget },
  'ws-client': {
    flags: ['connectsOut', 'reverseWs'],
    async startBot(timeoutMs) {
      const receiver = await startWsReceiver();
      let first: Promise<ReceivedConnection> | undefined;
      const connection = () =>
        (first ??= receiver.connections.next(timeoutMs, 'connection from the ws-client adapter'));
      return {
        receiverUrl: receiver.url,
        connection,
        async callAction(body) {
          const conn = await connection();
          conn.ws.send(body);
          return {
            rejected: false,
            response: await conn.answers.next(timeoutMs, 'answer from the ws-client adapter'),
          };
        },
        async openEvents() {
          const conn = await connection();
          return { next: (ms = timeoutMs) => conn.events.next(ms, 'event'), close: async () => {} };
        },
        clientHeaders: async () => (await connection()).headers,
        close: () => receiver.close(),
      };
    },
  },
  'http-client': {
    flags: ['connectsOut', 'postsEvents'],
    async startBot(timeoutMs) {
      const receiver = await startHttpReceiver();
      const nextPost = (label: string) => receiver.posts.next(timeoutMs, label);
      return {
        receiverUrl: receiver.url,
        nextPost,
        openEvents: async () => ({
          next: async (ms = timeoutMs) => (await receiver.posts.next(ms, 'event POST')).event,
          close: async () => {},
        }),
        clientHeaders: async () => (await nextPost('event POST')).headers,
        close: () => receiver.close(),
      };
    },
  },
};

/** Every flag an adapter of `kind` with `caps` has. */
export function conformanceFlags(kind: ConformanceKind, caps: ConformanceCapabilities): Set<ConformanceFlag> {
  const flags = new Set<ConformanceFlag>(conformanceDrivers[kind].flags);
  if (caps.actions) flags.add('servesActions');
  if (caps.events) flags.add('receivesEvents');
  if (caps.heartbeat) flags.add('heartbeat');
  if (caps.signature) flags.add('signs');
  if (caps.lifecycle) flags.add('lifecycle');
  if (caps.auth === 'server' && flags.has('listens')) flags.add('serverAuth');
  if (caps.auth === 'client' && flags.has('connectsOut')) flags.add('clientAuth');
  return flags;
}

/** A target method the adapter's flags promise but the target lacks: say which, by name. */
export function missingTargetMethod(name: string, method: keyof ConformanceTarget, flag: string): Error {
  return new Error(`${name}: the target has no ${method} but capabilities.${flag} is true`);
}
