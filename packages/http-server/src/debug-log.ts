import { redactUrl, type Logger } from '@onebot-gateway/core';
import type { FastifyInstance } from 'fastify';

/**
 * `debug: true` logs every request and response of this adapter at info
 * level. The flag is read per request so a reload switches it in place.
 * Only the redacted URL is logged, never a header: that is where tokens live.
 */
export function registerDebugLog(app: FastifyInstance, logger: Logger, isDebug: () => boolean): void {
  app.addHook('onRequest', (request, _reply, done) => {
    if (isDebug()) logger.info({ method: request.method, url: redactUrl(request.url), remote: request.ip }, 'http request');
    done();
  });
  app.addHook('preHandler', (request, _reply, done) => {
    if (isDebug() && request.body !== undefined) {
      logger.info({ method: request.method, url: redactUrl(request.url), body: request.body }, 'http request body');
    }
    done();
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    if (isDebug()) {
      const body = typeof payload === 'string' ? payload : undefined;
      logger.info({ method: request.method, url: redactUrl(request.url), status: reply.statusCode, body }, 'http response');
    }
    done(null, payload);
  });
}
