import { failedResponse, httpStatusForRetcode, type ActionResponse } from '@onebot-gateway/core';
import type { FastifyReply } from 'fastify';
import { activeDebugLog } from './debug-log.js';

/**
 * Why a request was refused before it reached the router, with the HTTP
 * status to answer. The body is always a OneBot failed response, so a bot
 * framework that only reads JSON still learns what was wrong.
 */
export class HttpRefusal extends Error {
  override readonly name = 'HttpRefusal';
  constructor(
    readonly httpStatus: number,
    readonly retcode: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  toResponse(): ActionResponse {
    return failedResponse(this.retcode, this.message);
  }
}

export function isHttpRefusal(value: unknown): value is HttpRefusal {
  return value instanceof HttpRefusal;
}

/** Send a OneBot response; the status follows the retcode unless the caller knows better (413, 405, 406). */
export function sendOneBotResponse(reply: FastifyReply, response: ActionResponse, httpStatus?: number): FastifyReply {
  const body = JSON.stringify(response);
  reply.code(httpStatus ?? httpStatusForRetcode(response.retcode)).header('content-type', 'application/json; charset=utf-8');
  activeDebugLog(reply)?.response(reply, body);
  return reply.send(body);
}

export function sendRefusal(reply: FastifyReply, refusal: HttpRefusal): FastifyReply {
  return sendOneBotResponse(reply, refusal.toResponse(), refusal.httpStatus);
}
