import { checkToken, extractToken, failedResponse, redactUrl, type Logger } from '@onebot-gateway/core';
import {
  checkRequestOrigin,
  createOriginWarnings,
  originRefusalMessage,
  redactHeaders,
} from '@onebot-gateway/core/internal';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** What the handshake check reads per upgrade (the settings in force, changed by reloads). */
export interface HandshakeSettings {
  token: string;
  allowedOrigins?: readonly string[];
  debug: boolean;
}

export interface HandshakeAuthOptions {
  logger: Logger;
  settings: () => HandshakeSettings;
  /** False once the host is shutting down: every later upgrade is refused with 503. */
  accepting: () => boolean;
}

function firstQueryValue(query: unknown): string | string[] | undefined {
  if (typeof query !== 'object' || query === null) return undefined;
  const value = (query as Record<string, unknown>).access_token;
  return typeof value === 'string' || Array.isArray(value) ? (value as string | string[]) : undefined;
}

/**
 * The `onRequest` hook of every WebSocket route (protocol.md "Auth"): a
 * stopping server answers 503, a foreign browser origin 403 (before the
 * token: a page the operator happens to open must not reach a token-less
 * adapter), a missing or wrong token 401/403 with a OneBot body. `done()`
 * lets the upgrade through.
 */
export function createHandshakeAuth(
  options: HandshakeAuthOptions,
): (request: FastifyRequest, reply: FastifyReply, done: () => void) => void {
  const { logger } = options;
  const originWarnings = createOriginWarnings();

  return function authenticate(request, reply, done) {
    const settings = options.settings();
    if (!options.accepting()) {
      // @fastify/websocket destroys the upgrade socket once this answer is sent.
      logger.info(
        { url: redactUrl(request.url, settings.token), remote: request.ip },
        'WebSocket handshake refused: the server is stopping',
      );
      // Not a OneBot error (no retcode fits an adapter that is going away): a plain 503 with Retry-After.
      void reply
        .code(503)
        .header('content-type', 'text/plain; charset=utf-8')
        .header('retry-after', '1')
        .send('the server is shutting down; reconnect later');
      return;
    }
    const origin = checkRequestOrigin(request, {
      token: settings.token,
      allowedOrigins: settings.allowedOrigins ?? [],
    });
    if (!origin.allowed) {
      const message = originRefusalMessage(origin.origin);
      // A page can retry in a loop: one warn line per origin, repeats at debug.
      const firstTime = originWarnings.isFirst(origin.origin);
      logger[firstTime ? 'warn' : 'debug'](
        {
          url: redactUrl(request.url, settings.token),
          remote: request.ip,
          status: 403,
          origin: origin.origin,
        },
        `WebSocket handshake refused: ${message}${firstTime ? ' (repeats from this origin are logged at debug)' : ''}`,
      );
      void reply
        .code(403)
        .header('content-type', 'application/json')
        .send(JSON.stringify(failedResponse('FORBIDDEN', message)));
      return;
    }
    const provided = extractToken({
      authorization: request.headers.authorization,
      accessToken: firstQueryValue(request.query),
    });
    const result = checkToken(settings.token, provided);
    if (settings.debug) {
      logger.info(
        {
          url: redactUrl(request.url, settings.token),
          headers: redactHeaders(request.headers),
          auth: result,
        },
        'WebSocket handshake',
      );
    }
    if (result === 'ok') {
      done();
      return;
    }
    const status = result === 'missing' ? 401 : 403;
    const message =
      result === 'missing'
        ? 'missing token: send "Authorization: Bearer <token>" or ?access_token=<token>'
        : 'wrong token: check the token configured for this adapter';
    logger.warn(
      { url: redactUrl(request.url, settings.token), remote: request.ip, status },
      `WebSocket handshake refused: ${result} token`,
    );
    void reply
      .code(status)
      .header('content-type', 'application/json')
      .send(JSON.stringify(failedResponse(status === 401 ? 1401 : 1403, message)));
  };
}
