import { redactUrl, type Logger } from '@onebot-gateway/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * `debug: true` logs every request and response of this adapter at info
 * level. The flag is read per request so a reload switches it in place.
 * Only redacted URLs are logged, never a header: that is where tokens live.
 * Logging happens where requests are guarded and answers are sent rather
 * than in extra fastify hooks, which would cost every request even with
 * debug off.
 */
export interface DebugLog {
  enabled(): boolean;
  request(request: FastifyRequest): void;
  response(reply: FastifyReply, body: string): void;
}

const debugLogs = new WeakMap<object, DebugLog>();

export function createDebugLog(logger: Logger, isDebug: () => boolean): DebugLog {
  return {
    enabled: isDebug,
    request(request) {
      logger.info(
        { method: request.method, url: redactUrl(request.url), remote: request.ip },
        'http request',
      );
    },
    response(reply, body) {
      const { request } = reply;
      logger.info(
        { method: request.method, url: redactUrl(request.url), status: reply.statusCode, body },
        'http response',
      );
    },
  };
}

/** Make `log` the debug log of every reply sent by `app`. */
export function attachDebugLog(app: FastifyInstance, log: DebugLog): void {
  debugLogs.set(app, log);
}

/** The debug log of the app that sends `reply`, when debug is on. */
export function activeDebugLog(reply: FastifyReply): DebugLog | undefined {
  const log = debugLogs.get(reply.server);
  return log?.enabled() ? log : undefined;
}
