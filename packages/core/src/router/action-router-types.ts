import type { Logger } from '../logger.js';
import type { RateLimitConfig } from '../config/types.js';
import type { ActionResponse } from '../types/actions.js';
import type { ParamSchema } from './param-schema.js';
import type { AccountSendLimitStatus } from './account-send-limits.js';

/**
 * What the action router offers and takes: the handler signatures, its
 * options and its interface. The implementation is createActionRouter
 * (action-router.ts).
 */

export interface ActionHandlerContext {
  action: string;
  logger: Logger;
}

/** Returns the action's `data`; throws a OneBotError for an expected failure. */
export type ActionHandler = (params: Record<string, unknown>, context: ActionHandlerContext) => unknown;

/** For relays: gets every action no handler is registered for, answers a whole response. */
export type FallbackActionHandler = (request: {
  action: string;
  params: Record<string, unknown>;
}) => Promise<ActionResponse>;

export interface ActionRouterOptions {
  logger?: Logger;
  /** Delay between two `_rate_limited` calls. Default 500 ms. */
  rateLimitIntervalMs?: number;
  /** Calls waiting in the `_rate_limited` queue before new ones get 1429. Default 1000. */
  rateLimitQueueSize?: number;
  /**
   * Bytes of params (as JSON, UTF-8) waiting in the `_rate_limited` queue
   * before new calls get 1429. Default 16 MiB (DEFAULT_RATE_LIMIT_QUEUE_BYTES).
   */
  rateLimitQueueBytes?: number;
  /**
   * Extra parameter schemas by action (a backend's own actions), merged over
   * the standard OneBot 11 catalogue; an entry here replaces the standard one.
   */
  schemas?: Readonly<Record<string, ParamSchema>>;
  /**
   * `gateway.rateLimit`: a token bucket per account in front of every action
   * it names, shared by every adapter; `_rate_limited` calls then use it too.
   * Default off. Change it later with `setRateLimit`.
   */
  rateLimit?: RateLimitConfig;
  /** The account (self_id) calls are sent as; each one has its own bucket. Default: one account, "0". */
  accountOf?: () => number | string;
}

export interface ActionRouter {
  register(action: string, handler: ActionHandler, schema?: ParamSchema): void;
  setFallback(handler: FallbackActionHandler | undefined): void;
  /** True when `action` (without suffix) has a handler or a fallback would take it. */
  has(action: string): boolean;
  /** Actions with a registered handler. */
  actions(): string[];
  /** Run one request (already parsed JSON). Never throws, never rejects. */
  handle(request: unknown): Promise<ActionResponse>;
  /** Apply a new `gateway.rateLimit` in place: waiting calls keep their order; off lets them all go now. */
  setRateLimit(config: RateLimitConfig): void;
  /** Per account: the limiter's rate, what waits now and its totals (calls, waited, refused). */
  rateLimitStatus(): AccountSendLimitStatus[];
  /**
   * Fail every call waiting for the rate limit (an answer saying the gateway
   * is stopping), drop queued `_rate_limited` calls and stop the timer; later
   * calls that would wait are refused the same way.
   */
  dispose(): void;
}
