import { OneBotError, isOneBotError } from '../errors.js';
import { noopLogger, type Logger } from '../logger.js';
import type { ActionRequest, ActionResponse } from '../types/actions.js';
import type { OneBotEvent } from '../types/events.js';
import { coerceParams, type ParamSchema } from './param-schema.js';
import { MAX_REQUEST_DEPTH, isNestedDeeperThan } from './request-depth.js';
import { asyncResponse, failedResponse, okResponse, withEcho } from './responses.js';
import { quickOperationToActions } from './quick-operation.js';
import { standardActionSchemas } from './action-schemas.js';

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
  /** Parameter schemas by action; defaults to the standard OneBot 11 catalogue. */
  schemas?: Record<string, ParamSchema>;
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
  /** Drop queued `_rate_limited` calls and their timer. */
  dispose(): void;
}

const QUICK_OPERATION = '.handle_quick_operation';
const ASYNC_SUFFIX = '_async';
const RATE_LIMITED_SUFFIX = '_rate_limited';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function createActionRouter(options: ActionRouterOptions = {}): ActionRouter {
  const logger = options.logger ?? noopLogger;
  const schemas = options.schemas ?? standardActionSchemas;
  const rateLimitIntervalMs = options.rateLimitIntervalMs ?? 500;
  const rateLimitQueueSize = options.rateLimitQueueSize ?? 1000;
  const handlers = new Map<string, { handler: ActionHandler; schema: ParamSchema | undefined }>();
  let fallback: FallbackActionHandler | undefined;

  const rateLimitQueue: Array<() => Promise<unknown>> = [];
  let rateLimitTimer: NodeJS.Timeout | undefined;

  function canRun(action: string): boolean {
    return action === QUICK_OPERATION || handlers.has(action) || fallback !== undefined;
  }

  /** Run an action without suffix handling; throws OneBotError on failure. */
  async function run(action: string, rawParams: Record<string, unknown>): Promise<ActionResponse> {
    if (action === QUICK_OPERATION) {
      await runQuickOperation(rawParams);
      return okResponse(null);
    }
    const entry = handlers.get(action);
    const schema = entry?.schema ?? schemas[action];
    const params = schema ? coerceParams(rawParams, schema) : rawParams;
    if (entry) {
      const data = await entry.handler(params, { action, logger });
      return okResponse(data);
    }
    if (fallback) return fallback({ action, params });
    throw new OneBotError('UNKNOWN_ACTION', `unknown action "${action}"; check the name or the backend's action list`);
  }

  async function runQuickOperation(params: Record<string, unknown>): Promise<void> {
    const { context, operation } = params;
    if (!isPlainObject(context) || !isPlainObject(operation)) {
      throw new OneBotError('BAD_REQUEST', 'params "context" (the event) and "operation" must both be objects');
    }
    for (const request of quickOperationToActions(context as OneBotEvent, operation)) {
      const response = await run(request.action, request.params ?? {});
      if (response.retcode !== 0) {
        throw new OneBotError('ACTION_FAILED', `quick operation ${request.action} failed: ${response.message}`);
      }
    }
  }

  function toFailure(action: string, error: unknown): ActionResponse {
    if (isOneBotError(error)) return failedResponse(error.retcode, error.message);
    logger.error({ err: error, action }, `action ${action} threw an unexpected error`);
    const reason = error instanceof Error ? error.message : String(error);
    return failedResponse(1500, `internal error while running "${action}": ${reason}`);
  }

  async function runSafely(action: string, params: Record<string, unknown>): Promise<ActionResponse> {
    try {
      return await run(action, params);
    } catch (error) {
      return toFailure(action, error);
    }
  }

  function runInBackground(action: string, params: Record<string, unknown>): void {
    void runSafely(action, params).then((response) => {
      if (response.retcode !== 0) logger.warn({ action, retcode: response.retcode }, `background action failed: ${response.message}`);
    });
  }

  function pumpRateLimitQueue(): void {
    if (rateLimitTimer || rateLimitQueue.length === 0) return;
    const next = rateLimitQueue.shift()!;
    void next();
    rateLimitTimer = setTimeout(() => {
      rateLimitTimer = undefined;
      pumpRateLimitQueue();
    }, rateLimitIntervalMs);
    rateLimitTimer.unref();
  }

  async function handle(request: unknown): Promise<ActionResponse> {
    if (!isPlainObject(request)) {
      return failedResponse(1400, 'request must be a JSON object like {"action": "send_msg", "params": {...}}');
    }
    const echoTooDeep = isNestedDeeperThan(request.echo, MAX_REQUEST_DEPTH - 1);
    const echo = { has: Object.hasOwn(request, 'echo') && !echoTooDeep, value: request.echo };
    if (echoTooDeep || isNestedDeeperThan(request.params, MAX_REQUEST_DEPTH - 1)) {
      return withEcho(failedResponse(1400, `request nests deeper than ${MAX_REQUEST_DEPTH} levels; flatten it`), echo);
    }
    const { action } = request;
    if (typeof action !== 'string' || action === '') {
      return withEcho(failedResponse(1400, 'field "action" is required and must be a non-empty string'), echo);
    }
    const rawParams = request.params ?? {};
    if (!isPlainObject(rawParams)) {
      return withEcho(failedResponse(1400, 'field "params" must be an object'), echo);
    }

    if (!canRun(action)) {
      for (const suffix of [ASYNC_SUFFIX, RATE_LIMITED_SUFFIX]) {
        const base = action.slice(0, -suffix.length);
        if (!action.endsWith(suffix) || !canRun(base)) continue;
        if (suffix === ASYNC_SUFFIX) {
          runInBackground(base, rawParams);
        } else {
          if (rateLimitQueue.length >= rateLimitQueueSize) {
            return withEcho(failedResponse(1429, `rate-limited queue is full (${rateLimitQueueSize} calls); retry later`), echo);
          }
          rateLimitQueue.push(() => {
            runInBackground(base, rawParams);
            return Promise.resolve();
          });
          pumpRateLimitQueue();
        }
        return withEcho(asyncResponse(), echo);
      }
    }
    return withEcho(await runSafely(action, rawParams), echo);
  }

  return {
    register(action, handler, schema) {
      handlers.set(action, { handler, schema });
    },
    setFallback(handler) {
      fallback = handler;
    },
    has: canRun,
    actions: () => [...handlers.keys()],
    handle,
    dispose() {
      rateLimitQueue.length = 0;
      if (rateLimitTimer) clearTimeout(rateLimitTimer);
      rateLimitTimer = undefined;
    },
  };
}

export type { ActionRequest };
