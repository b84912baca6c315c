import type { AdapterContext, AdapterCounters, HttpServerConfig, Logger } from '@onebot-gateway/core';
import { schemaCompilersOnDemand, type ServerTlsMaterial } from '@onebot-gateway/core/internal';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import { registerBodyParsers, type ParsedBody } from './body-parsers.js';
import { registerCors } from './cors.js';
import { registerInflightBodyBudget } from './inflight-budget.js';
import { attachDebugLog, createDebugLog } from './debug-log.js';
import { answerClientError, answerFrameworkError, registerErrorHandling } from './error-handling.js';
import { HttpRefusal, sendOneBotResponse, sendRefusal } from './onebot-reply.js';
import { registerOriginGuard } from './origin-guard.js';
import { registerRequestGuards } from './request-guards.js';
import { actionFromPath, actionFromRootBody } from './request-to-action.js';
import { parseQueryString } from './url-encoded.js';

export interface HttpAppOptions<C extends HttpServerConfig = HttpServerConfig> {
  /**
   * The entry the app is built from. Settings baked into the app
   * (`enableCors`, body limit) are read once; `token`, `allowedOrigins` and
   * `debug` are read per request from `currentConfig()` so a reload changes
   * them in place.
   */
  config: C;
  currentConfig: () => C;
  context: AdapterContext;
  logger: Logger;
  counters: AdapterCounters & { recordError(error: unknown): void };
  /** Serve https:// with these (core's `httpsServerOptions`); absent = plain HTTP. */
  https?: ServerTlsMaterial & { handshakeTimeout: number };
}

/** Longest action name accepted in a path segment (longer ones get 404). */
const MAX_ACTION_NAME_LENGTH = 256;

/**
 * The OneBot HTTP API as a fastify app, not yet listening: CORS, method,
 * auth and origin guards, body parsers, the action routes and OneBot-shaped errors.
 * sse-server builds on it and adds its own routes before listening.
 */
export async function createHttpApp<C extends HttpServerConfig>(
  options: HttpAppOptions<C>,
): Promise<FastifyInstance> {
  const { config, currentConfig, context, logger, counters } = options;
  // With `https` fastify makes an https.Server: the same routes and hooks, and setSecureContext() for rotation.
  // (A variable, not a literal: the http typing of the app then holds for both servers.)
  const serverOptions = {
    ...(options.https === undefined ? {} : { https: options.https }),
    logger: false,
    bodyLimit: config.maxBodySize,
    exposeHeadRoutes: false,
    // Trailing-slash variants are declared route by route rather than with
    // ignoreTrailingSlash, which would clash with ws-server's routes (it
    // declares `/api` and `/api/` itself) when enableWebsocket is on.
    routerOptions: { maxParamLength: MAX_ACTION_NAME_LENGTH, querystringParser: parseQueryString },
    clientErrorHandler: answerClientError,
    schemaController: schemaCompilersOnDemand<FastifyServerOptions['schemaController']>(import.meta.url),
    frameworkErrors: answerFrameworkError,
  };
  const app = Fastify(serverOptions);

  if (config.enableCors) await registerCors(app, currentConfig);
  const debugLog = createDebugLog(logger, currentConfig);
  attachDebugLog(app, debugLog);
  registerRequestGuards(app, () => currentConfig().token, debugLog);
  registerOriginGuard(app, currentConfig, logger);
  registerInflightBodyBudget(app, config.maxBodySize);
  registerBodyParsers(app);
  registerErrorHandling(app, logger, config.maxBodySize, (error) => counters.recordError(error));

  async function answer(reply: FastifyReply, request: unknown): Promise<FastifyReply> {
    counters.actionsHandled += 1;
    if (debugLog.enabled()) debugLog.action(request);
    const response = await context.callAction(request as Parameters<AdapterContext['callAction']>[0]);
    return sendOneBotResponse(reply, response);
  }

  for (const url of ['/:action', '/:action/']) {
    app.route<{ Params: { action: string }; Querystring: Record<string, unknown> }>({
      method: ['GET', 'POST'],
      url,
      handler: (request, reply) =>
        answer(
          reply,
          actionFromPath(request.params.action, request.query, request.body as ParsedBody | undefined),
        ),
    });
  }
  app.post('/', (request, reply) =>
    answer(reply, actionFromRootBody(request.body as ParsedBody | undefined)),
  );
  app.get('/', (_request, reply) => {
    reply.header('allow', 'POST');
    return sendRefusal(
      reply,
      new HttpRefusal(
        'BAD_REQUEST',
        'GET / names no action; call GET /<action> or POST / with {"action": ..., "params": {...}}',
        405,
      ),
    );
  });
  return app;
}
