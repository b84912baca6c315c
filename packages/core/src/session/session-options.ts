import type { AdapterContext, AdapterCounters } from '../adapter.js';
import type { DeliveredEvent } from '../bus/event-bus.js';
import type { EventFilterQuery } from '../filter/event-filter.js';
import type { Logger } from '../logger.js';
import type { MessageFormat } from '../types/segments.js';
import type { IncomingFrame } from './session-actions.js';
import type { SessionSocket } from './socket.js';

/** `/api` answers actions only, `/event` pushes events only, anything else does both. */
export type SessionRole = 'universal' | 'api' | 'event';

/** Per-connection settings; every one of them can change while the connection stays open. */
export interface SessionOptions {
  messagePostFormat: MessageFormat;
  reportSelfMessage: boolean;
  /** false: a universal connection gets events only after its first frame. */
  enableForcePushEvent: boolean;
  /** Heartbeat meta event interval in ms (0 = none); also the ping interval (30 s when 0). */
  heartInterval: number;
  /** Unsent bytes after which the connection is closed with 1013. */
  maxBufferedBytes: number;
  /** Actions running at once on this connection; more are answered 1429 at once. */
  maxPendingActions: number;
  /** Events held for a universal connection that is not ready yet (enableForcePushEvent false). */
  maxHeldEvents: number;
  /** Log every frame at info level (token redacted). */
  debug: boolean;
  /** Only used to redact debug logs; authentication happens before a session exists. */
  token: string;
  /** The adapter's `filter` (null: none); read per event, so an update applies without resubscribing. */
  filter: EventFilterQuery | null;
}

export const defaultSessionOptions: Readonly<SessionOptions> = Object.freeze({
  messagePostFormat: 'array',
  reportSelfMessage: false,
  enableForcePushEvent: true,
  heartInterval: 30_000,
  maxBufferedBytes: 16 * 1024 * 1024,
  maxPendingActions: 1000,
  maxHeldEvents: 100,
  debug: false,
  token: '',
  filter: null,
});

/** Interval of protocol-level pings when heartInterval is 0 (off). */
export const DEFAULT_PING_INTERVAL_MS = 30_000;

/** WebSocket close codes the session uses. */
export const SessionCloseCode = {
  GOING_AWAY: 1001,
  TRY_AGAIN_LATER: 1013,
} as const;

export interface SessionInit {
  socket: SessionSocket;
  role: SessionRole;
  context: AdapterContext;
  options?: Partial<SessionOptions>;
  /** Defaults to `context.logger`. */
  logger?: Logger;
  /** Shared adapter counters; the session adds its deliveries, answers and errors. */
  counters?: AdapterCounters;
  /**
   * Called once when the session is disposed (socket closed, stopped, cut).
   * `unsent` is the event whose own delivery ended the session (a
   * slow-consumer cut, a failed write): it was not written, so an adapter
   * that holds events while disconnected keeps it.
   */
  onDispose?: (session: OneBotSession, unsent?: DeliveredEvent) => void;
}

export interface OneBotSession {
  readonly role: SessionRole;
  /** Feed one received frame (the transport's message event). */
  handleFrame(data: IncomingFrame, isBinary: boolean): void;
  /** Feed a received pong. */
  handlePong(): void;
  /** Apply changed options in place (reload): resubscribes and restarts timers only when needed. */
  update(options: Partial<SessionOptions>): void;
  options(): Readonly<SessionOptions>;
  /** Close the socket with a code and dispose. Idempotent. */
  close(code: number, reason: string): void;
  /** The socket is gone (or going): clear every timer and the subscription. Idempotent. */
  dispose(): void;
  isDisposed(): boolean;
  /** True once events flow to this connection (always false on an api connection). */
  isReady(): boolean;
  pendingActions(): number;
}

/** `base` overlaid with the keys of `changes` that are not undefined (a partial config may carry undefined). */
export function withDefinedValues(
  base: SessionOptions,
  changes: Partial<SessionOptions> = {},
): SessionOptions {
  const merged: SessionOptions = { ...base };
  for (const [key, value] of Object.entries(changes)) {
    if (value !== undefined) (merged as unknown as Record<string, unknown>)[key] = value;
  }
  return merged;
}
