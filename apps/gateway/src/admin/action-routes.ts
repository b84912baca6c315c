import { errorRegistry, failedResponse, type ActionResponse, type Logger } from '@onebot-gateway/core';
import { isPlainObject } from '@onebot-gateway/core/internal';
import { sendOneBotResponse } from '@onebot-gateway/http-server';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import type { DashboardSources } from './dashboard-sources.js';

/** Longest action name accepted (as the HTTP API). */
const MAX_ACTION_NAME_LENGTH = 256;

/** A body fastify could not take (not JSON, too large) still gets a OneBot answer, as on the HTTP API. */
function bodyErrorHandler(error: FastifyError, reply: FastifyReply): FastifyReply {
  if (error.statusCode === 413) {
    const { retcode, httpStatus } = errorRegistry.PAYLOAD_TOO_LARGE;
    return sendOneBotResponse(
      reply,
      failedResponse(retcode, `request body too large: ${error.message}`),
      httpStatus,
    );
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    const { retcode, httpStatus } = errorRegistry.BAD_REQUEST;
    return sendOneBotResponse(
      reply,
      failedResponse(retcode, `the body must be a JSON object of parameters: ${error.message}`),
      error.statusCode === 415 ? 415 : httpStatus,
    );
  }
  throw error;
}

/** What the action route has done, for the overview's actions/s beside the adapters' own counters. */
export interface ActionRouteCounters {
  /** OneBot answers it gave (failures included, as an adapter counts its answers). */
  actionsHandled(): number;
}

/**
 * `POST /api/actions/:action`: the body (a JSON object, or nothing) is the
 * params; the action runs through the router like one from any adapter and
 * the answer is the HTTP API's: OneBot JSON, status from the retcode.
 */
export function registerActionRoutes(
  app: FastifyInstance,
  sources: DashboardSources,
  logger: Logger,
): ActionRouteCounters {
  let handled = 0;
  app.post<{ Params: { action: string } }>(
    '/api/actions/:action',
    {
      errorHandler: (error, _request, reply) => {
        const answer = bodyErrorHandler(error, reply);
        handled += 1;
        return answer;
      },
    },
    async (request, reply) => {
      const callAction = sources.callAction;
      if (!callAction) return reply.code(404).send({ error: 'this admin API cannot call actions' });
      // Every OneBot answer below counts, failures included (the route's errorHandler counts a refused body).
      handled += 1;
      const { action } = request.params;
      if (action === '' || action.length > MAX_ACTION_NAME_LENGTH) {
        const { retcode, httpStatus } = errorRegistry.UNKNOWN_ACTION;
        return sendOneBotResponse(reply, failedResponse(retcode, 'no such action'), httpStatus);
      }
      const body = request.body;
      if (body !== undefined && body !== null && !isPlainObject(body)) {
        const { retcode, httpStatus } = errorRegistry.BAD_REQUEST;
        return sendOneBotResponse(
          reply,
          failedResponse(
            retcode,
            `the body of /api/actions/${action} must be a JSON object of parameters, like {"user_id": 123}`,
          ),
          httpStatus,
        );
      }
      let response: ActionResponse;
      try {
        response = await callAction({ action, params: isPlainObject(body) ? body : {} });
      } catch (error) {
        // The router promises never to reject; if it does, the caller still gets a OneBot answer.
        logger.error({ err: error, action }, 'callAction rejected');
        response = failedResponse('INTERNAL', 'internal error while running the action');
      }
      return sendOneBotResponse(reply, response);
    },
  );
  return { actionsHandled: () => handled };
}
