import { checkToken, extractToken } from '@onebot-gateway/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DebugLog } from './debug-log.js';
import { HttpRefusal, sendRefusal } from './onebot-reply.js';

const ACTION_METHODS = new Set(['GET', 'POST']);

function queryValue(request: FastifyRequest, key: string): string | string[] | undefined {
  const query = request.query as Record<string, string | string[] | undefined> | undefined;
  return query?.[key];
}

/** The protocol.md section 2 check, reusable by anything that reads a request (HTTP routes, SSE streams). */
export function refusalForAuth(request: FastifyRequest, expectedToken: string): HttpRefusal | undefined {
  const provided = extractToken({
    authorization: request.headers.authorization,
    accessToken: queryValue(request, 'access_token'),
  });
  const verdict = checkToken(expectedToken, provided);
  if (verdict === 'missing') {
    return new HttpRefusal(
      'UNAUTHORIZED',
      'access token missing; send "Authorization: Bearer <token>" or ?access_token=<token>',
    );
  }
  if (verdict === 'wrong') {
    return new HttpRefusal('FORBIDDEN', 'access token is wrong; check the token configured for this adapter');
  }
  return undefined;
}

/**
 * A refused WebSocket handshake must not leave its socket behind: the HTTP
 * parser has let go of an upgrade socket, and node's server sockets are
 * half-open capable, so nothing else would ever close it.
 */
export function refuse(request: FastifyRequest, reply: FastifyReply, refusal: HttpRefusal): void {
  if (request.headers.upgrade !== undefined) {
    const socket = request.raw.socket;
    reply.header('connection', 'close');
    reply.raw.once('finish', () => socket.end(() => socket.destroy()));
  }
  sendRefusal(reply, refusal);
}

/**
 * Debug log, method check, then authentication: one `onRequest` hook, so
 * nothing reads the body first. Registered after @fastify/cors, whose own
 * `onRequest` hook answers preflights: a preflight never needs a token.
 */
export function registerRequestGuards(
  app: FastifyInstance,
  currentToken: () => string,
  debugLog: DebugLog,
): void {
  app.addHook('onRequest', (request, reply, done) => {
    if (debugLog.enabled()) debugLog.request(request);
    if (!ACTION_METHODS.has(request.method)) {
      reply.header('allow', 'GET, POST');
      refuse(
        request,
        reply,
        new HttpRefusal('BAD_REQUEST', `method ${request.method} is not allowed; use GET or POST`, 405),
      );
      return;
    }
    const refusal = refusalForAuth(request, currentToken());
    if (refusal) {
      refuse(request, reply, refusal);
      return;
    }
    done();
  });
}
