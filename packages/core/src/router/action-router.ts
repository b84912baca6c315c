import { OneBotError, errorRegistry, isOneBotError } from '../errors.js';
import { noopLogger } from '../logger.js';
import type { ActionRequest, ActionResponse } from '../types/actions.js';
import type { OneBotEvent } from '../types/events.js';
import { coerceParams, type ParamSchema } from './param-schema.js';
import { asyncResponse, failedResponse, okResponse, withEcho } from './responses.js';
import { quickOperationToActions } from './quick-operation.js';
import { standardActionSchemas } from './action-schemas.js';
import { createAccountSendLimits } from './account-send-limits.js';
import { isPlainObject } from '../config/fields.js';
import type {
  ActionHandler,
  ActionRouter,
  ActionRouterOptions,
  FallbackActionHandler,
} from './action-router-types.js';
import { sanitiseFallbackResponse } from './fallback-response.js';
import { isRequestEnvelope, readRequestEnvelope } from './request-envelope.js';

export type {
  ActionHandler,
  ActionHandlerContext,
  ActionRouter,
  ActionRouterOptions,
  FallbackActionHandler,
} from './action-router-types.js';

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

/** The message of whatever was thrown, even an object whose getters throw. */
function reasonOf(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'an unprintable error';
  }
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
    const envelope = readRequestEnvelope(request);
    if (!isRequestEnvelope(envelope)) return envelope;
    const { action, rawParams, echo } = envelope;
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
