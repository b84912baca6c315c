import { OneBotError, errorRegistry, isOneBotError } from '../errors.js';
import { noopLogger, type Logger } from '../logger.js';
import type { RateLimitConfig } from '../config/types.js';
import type { ActionRequest, ActionResponse } from '../types/actions.js';
import type { OneBotEvent } from '../types/events.js';
import { coerceParams, type ParamSchema } from './param-schema.js';
import { MAX_REQUEST_PARAMS, hasMoreKeysThan, tooManyParamsMessage } from './param-count.js';
import { MAX_REQUEST_DEPTH, isNestedDeeperThan } from './request-depth.js';
import { asyncResponse, failedResponse, okResponse, withEcho } from './responses.js';
import { quickOperationToActions } from './quick-operation.js';
import { standardActionSchemas } from './action-schemas.js';
import { createAccountSendLimits, type AccountSendLimitStatus } from './account-send-limits.js';
import { isPlainObject } from '../config/fields.js';

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

export const QUICK_OPERATION_ACTION = '.handle_quick_operation';
const ASYNC_SUFFIX = '_async';
const RATE_LIMITED_SUFFIX = '_rate_limited';
/**
 * A count alone does not bound memory: 1000 queued calls of 2 MiB each are
 * 2 GiB. 16 MiB holds a call as large as the default request body limit.
 */
export const DEFAULT_RATE_LIMIT_QUEUE_BYTES = 16 * 1024 * 1024;

/**
 * What a queued call's params hold, as their JSON size in UTF-8 bytes. Params
 * that JSON cannot write (only an in-process plugin can pass such a value, a
 * cycle or a BigInt) count as nothing: trusted code, not a peer's request.
 */
function paramsBytes(params: Record<string, unknown>): number {
  try {
    return Buffer.byteLength(JSON.stringify(params), 'utf8');
  } catch {
    return 0;
  }
}

function describeJson(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return 'a string';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** The message of whatever was thrown, even an object whose getters throw. */
function reasonOf(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'an unprintable error';
  }
}

const RESPONSE_STATUSES = new Set(['ok', 'async', 'failed']);

/**
 * A fallback (a relay) answers with whatever the upstream sent. Make sure
 * what leaves the router is still a well-formed response.
 */
function sanitiseFallbackResponse(action: string, response: unknown): ActionResponse {
  if (
    !isPlainObject(response) ||
    typeof response.retcode !== 'number' ||
    !Number.isFinite(response.retcode)
  ) {
    throw new Error(
      `the fallback handler answered "${action}" with something that is not an action response`,
    );
  }
  const { retcode } = response;
  const status = RESPONSE_STATUSES.has(response.status as string)
    ? (response.status as ActionResponse['status'])
    : retcode === 0
      ? 'ok'
      : retcode === 1
        ? 'async'
        : 'failed';
  const message = typeof response.message === 'string' ? response.message : '';
  return {
    status,
    retcode,
    data: response.data === undefined ? null : response.data,
    message,
    wording: typeof response.wording === 'string' ? response.wording : message,
  };
}

export function createActionRouter(options: ActionRouterOptions = {}): ActionRouter {
  const logger = options.logger ?? noopLogger;
  const schemas: Readonly<Record<string, ParamSchema>> = { ...standardActionSchemas, ...options.schemas };
  const handlers = new Map<string, { handler: ActionHandler; schema: ParamSchema | undefined }>();
  let fallback: FallbackActionHandler | undefined;
  // One limiter per account for `gateway.rateLimit`; while that is off it only paces `_rate_limited`
  // calls, one per rateLimitIntervalMs (a bucket of one token), as before.
  const sendLimits = createAccountSendLimits({
    legacy: {
      frequency: 1000 / (options.rateLimitIntervalMs ?? 500),
      bucket: 1,
      maxQueue: options.rateLimitQueueSize ?? 1000,
      maxQueueBytes: options.rateLimitQueueBytes ?? DEFAULT_RATE_LIMIT_QUEUE_BYTES,
    },
    config: options.rateLimit,
    accountOf: options.accountOf,
  });

  /** Runs locally: a registered handler or the built-in quick operation. */
  function isLocal(action: string): boolean {
    return action === QUICK_OPERATION_ACTION || handlers.has(action);
  }

  function canRun(action: string): boolean {
    return isLocal(action) || fallback !== undefined;
  }

  function schemaOf(action: string): ParamSchema | undefined {
    return handlers.get(action)?.schema ?? (Object.hasOwn(schemas, action) ? schemas[action] : undefined);
  }

  /** Coerce by the action's schema; throws a 1400 OneBotError that names the param. */
  function prepareParams(action: string, rawParams: Record<string, unknown>): Record<string, unknown> {
    const schema = schemaOf(action);
    return schema ? coerceParams(rawParams, schema) : rawParams;
  }

  /** Run an action whose params are already coerced; throws on failure. */
  async function run(action: string, params: Record<string, unknown>): Promise<ActionResponse> {
    if (action === QUICK_OPERATION_ACTION) return runQuickOperation(params);
    const entry = handlers.get(action);
    if (entry) {
      const data = await entry.handler(params, { action, logger });
      return okResponse(data);
    }
    if (fallback) return sanitiseFallbackResponse(action, await fallback({ action, params }));
    throw new OneBotError(
      'UNKNOWN_ACTION',
      `unknown action "${action}"; check the name or the backend's action list`,
    );
  }

  /**
   * Every action of the operation runs even when an earlier one failed (a
   * failed reply must not stop a ban); the answer reports every failure.
   */
  async function runQuickOperation(params: Record<string, unknown>): Promise<ActionResponse> {
    const { context, operation } = params;
    if (!isPlainObject(context)) {
      throw new OneBotError(
        'BAD_REQUEST',
        'param "context" must be the event object the operation applies to',
      );
    }
    // Section 6: an operation that is not an object means "nothing to do".
    if (!isPlainObject(operation)) return okResponse(null);
    let firstRetcode = 0;
    const failures: string[] = [];
    for (const request of quickOperationToActions(context as OneBotEvent, operation)) {
      const response = await runSafely(request.action, request.params ?? {});
      if (response.retcode === 0 || response.retcode === 1) continue;
      firstRetcode ||= response.retcode;
      failures.push(`${request.action} failed (${response.retcode}): ${response.message}`);
    }
    // The first failure's retcode: a 1404 (backend lacks set_group_kick) stays a 1404.
    return failures.length === 0
      ? okResponse(null)
      : failedResponse(firstRetcode, `quick operation: ${failures.join('; ')}`);
  }

  /** A throwing injected logger must not turn an answer into a rejection. */
  function logError(details: Record<string, unknown>, message: string): void {
    try {
      logger.error(details, message);
    } catch {
      // Nothing sensible is left to do with a logger that throws.
    }
  }

  function toFailure(action: string, error: unknown): ActionResponse {
    if (isOneBotError(error)) {
      if (error.retcode >= errorRegistry.INTERNAL.retcode)
        logError({ err: error, action }, `action ${action} failed: ${error.message}`);
      return failedResponse(error.retcode, error.message);
    }
    logError({ err: error, action }, `action ${action} threw an unexpected error`);
    return failedResponse(
      'INTERNAL',
      `internal error while running "${action}": ${reasonOf(error)}; see the gateway log`,
    );
  }

  /**
   * A place in the send limiter's line for a coerced call: undefined when it
   * may go now, else a promise for its turn. Throws the 1429 (line full) or
   * stopping error to answer with.
   */
  function takeTurn(params: Record<string, unknown>): Promise<void> | undefined {
    const admission = sendLimits.admit(() => paramsBytes(params));
    if ('error' in admission) throw admission.error;
    return admission.ready;
  }

  /**
   * The limiter sits after coercion (a bad call never takes a token) and in
   * front of the handler or relay. A quick operation takes no token itself:
   * its reply is a send_msg that does.
   */
  function waitsForTurn(action: string): boolean {
    return action !== QUICK_OPERATION_ACTION && sendLimits.covers(action) && canRun(action);
  }

  /** Coerce, wait for the send limiter when the action is limited, and run; never rejects. */
  async function runSafely(action: string, rawParams: Record<string, unknown>): Promise<ActionResponse> {
    try {
      const params = prepareParams(action, rawParams);
      const turn = waitsForTurn(action) ? takeTurn(params) : undefined;
      if (turn) await turn;
      return await run(action, params);
    } catch (error) {
      return toFailure(action, error);
    }
  }

  async function runPreparedSafely(action: string, params: Record<string, unknown>): Promise<ActionResponse> {
    try {
      return await run(action, params);
    } catch (error) {
      return toFailure(action, error);
    }
  }

  /** Run after `turn` (the send limiter's) when there is one; a failure is logged, nobody waits for it. */
  function runInBackground(action: string, params: Record<string, unknown>, turn?: Promise<void>): void {
    const answer = turn
      ? turn.then(
          () => runPreparedSafely(action, params),
          (error: unknown) => toFailure(action, error),
        )
      : runPreparedSafely(action, params);
    void answer.then((response) => {
      if (response.retcode !== 0) {
        try {
          logger.warn(
            { action, retcode: response.retcode },
            `background action ${action} failed: ${response.message}`,
          );
        } catch {
          // See logError.
        }
      }
    });
  }

  /** `<action>_async` / `<action>_rate_limited` on a runnable base: answered here, run later. */
  function handleSuffixed(action: string, rawParams: Record<string, unknown>): ActionResponse | undefined {
    for (const suffix of [ASYNC_SUFFIX, RATE_LIMITED_SUFFIX]) {
      if (!action.endsWith(suffix)) continue;
      const base = action.slice(0, -suffix.length);
      if (base === '' || !canRun(base)) continue;
      // Bad params are answered now (1400), not lost in a background log.
      let params: Record<string, unknown>;
      try {
        params = prepareParams(base, rawParams);
      } catch (error) {
        return toFailure(base, error);
      }
      // `_rate_limited` always waits in the limiter; `_async` only when its action is limited.
      // Either way a full line is answered now (1429), not lost in a background log.
      let turn: Promise<void> | undefined;
      if (suffix === RATE_LIMITED_SUFFIX || waitsForTurn(base)) {
        try {
          turn = takeTurn(params);
        } catch (error) {
          return toFailure(base, error);
        }
      }
      runInBackground(base, params, turn);
      return asyncResponse();
    }
    return undefined;
  }

  async function handle(request: unknown): Promise<ActionResponse> {
    try {
      return await handleRequest(request);
    } catch {
      // Only reached when logging itself failed (a broken injected logger, an
      // error object whose getters throw): answer without touching either.
      return failedResponse('INTERNAL', 'internal error while handling the request; see the gateway log');
    }
  }

  async function handleRequest(request: unknown): Promise<ActionResponse> {
    if (!isPlainObject(request)) {
      return failedResponse(
        1400,
        `request must be a JSON object like {"action": "send_msg", "params": {...}}, got ${describeJson(request)}`,
      );
    }
    // The request object is level 1, so its echo and params may nest 127 more.
    const echoTooDeep = isNestedDeeperThan(request.echo, MAX_REQUEST_DEPTH - 1);
    const echo = { has: Object.hasOwn(request, 'echo') && !echoTooDeep, value: request.echo };
    if (echoTooDeep || isNestedDeeperThan(request.params, MAX_REQUEST_DEPTH - 1)) {
      const where = echoTooDeep ? '"echo"' : '"params"';
      return withEcho(
        failedResponse(
          1400,
          `request nests deeper than ${MAX_REQUEST_DEPTH} levels (in ${where}); flatten it`,
        ),
        echo,
      );
    }
    const { action } = request;
    if (typeof action !== 'string' || action === '') {
      const got =
        action === undefined
          ? 'it is missing'
          : action === ''
            ? 'it is empty'
            : `got ${describeJson(action)}`;
      return withEcho(
        failedResponse('BAD_REQUEST', `field "action" must be a non-empty string (${got})`),
        echo,
      );
    }
    const rawParams = request.params ?? {};
    if (!isPlainObject(rawParams)) {
      return withEcho(
        failedResponse(
          1400,
          `field "params" must be an object of named parameters, got ${describeJson(rawParams)}`,
        ),
        echo,
      );
    }
    if (hasMoreKeysThan(rawParams, MAX_REQUEST_PARAMS)) {
      return withEcho(failedResponse('BAD_REQUEST', tooManyParamsMessage()), echo);
    }

    if (!isLocal(action)) {
      const suffixed = handleSuffixed(action, rawParams);
      if (suffixed) return withEcho(suffixed, echo);
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
    setRateLimit: (config) => sendLimits.configure(config),
    rateLimitStatus: () => sendLimits.status(),
    dispose() {
      sendLimits.close(
        new OneBotError(
          'BACKEND_UNAVAILABLE',
          'the gateway is stopping: this call was held by the send rate limit and was not sent',
        ),
      );
    },
  };
}

export type { ActionRequest };
