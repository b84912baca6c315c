import { OneBotError, failedResponse, type ActionResponse, type ErrorCode } from '@onebot-gateway/core';
import { httpStatusForRetcode } from '@onebot-gateway/core/internal';
import type { FastifyReply } from 'fastify';
import { activeDebugLog } from './debug-log.js';

/**
 * Why a request was refused before it reached the router. A OneBotError
 * (code, retcode from the registry) with the HTTP status to answer, which
 * differs from the registry's only where the wire profile asks for a more
 * precise one (405, 406 and the statuses of malformed HTTP, all retcode
 * 1400). The body is always a OneBot failed response, so a bot framework that
 * only reads JSON still learns what was wrong.
 */
export class HttpRefusal extends OneBotError {
  readonly status: number;
  constructor(code: ErrorCode, message: string, status?: number, options?: { cause?: unknown }) {
    super(code, message, options);
    this.status = status ?? this.httpStatus;
  }

  toResponse(): ActionResponse {
    return failedResponse(this.retcode, this.message);
  }
}

export function isHttpRefusal(value: unknown): value is HttpRefusal {
  return value instanceof HttpRefusal;
}

/** Send a OneBot response; the status follows the retcode unless the caller knows better (413, 405, 406). */
export function sendOneBotResponse(
  reply: FastifyReply,
  response: ActionResponse,
  httpStatus?: number,
): FastifyReply {
  const body = JSON.stringify(response);
  reply
    .code(httpStatus ?? httpStatusForRetcode(response.retcode))
    .header('content-type', 'application/json; charset=utf-8');
  activeDebugLog(reply)?.response(reply, body);
  return reply.send(body);
}

export function sendRefusal(reply: FastifyReply, refusal: HttpRefusal): FastifyReply {
  return sendOneBotResponse(reply, refusal.toResponse(), refusal.status);
}
