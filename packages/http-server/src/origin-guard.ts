import { type HttpServerConfig, type Logger } from '@onebot-gateway/core';
import {
  checkRequestOrigin,
  createOriginWarnings,
  originRefusalMessage,
} from '@onebot-gateway/core/internal';
import type { FastifyInstance } from 'fastify';
import { HttpRefusal } from './onebot-reply.js';
import { refuse } from './request-guards.js';

/**
 * CORS only decides what a page may read: a form POST or a link from another
 * site still reaches the API and runs the action (`send_msg` from a real
 * account). So on a token-less adapter a request a browser marks as coming
 * from a page that is not allowed (core's checkOrigin: `Origin`, or
 * `Sec-Fetch-Site` when it sent none) is refused with 403 before it runs.
 * Registered after the method and auth guards: it only matters with no
 * token, where auth lets everything through. WebSocket upgrades are left to
 * the WebSocket routes, which apply the same rule.
 */
export function registerOriginGuard(
  app: FastifyInstance,
  currentConfig: () => HttpServerConfig,
  logger: Logger,
): void {
  // A page can send requests in a loop: each origin gets one warn line, repeats go to debug.
  const warnings = createOriginWarnings();
  app.addHook('onRequest', (request, reply, done) => {
    const config = currentConfig();
    if (config.token !== '') {
      done();
      return;
    }
    const upgrade = request.headers.upgrade !== undefined;
    if (upgrade && config.enableWebsocket) {
      done();
      return;
    }
    const verdict = checkRequestOrigin(request, {
      token: config.token,
      allowedOrigins: config.allowedOrigins,
      fetchSite: true,
    });
    if (verdict.allowed) {
      done();
      return;
    }
    const message = originRefusalMessage(verdict.origin);
    const firstTime = warnings.isFirst(verdict.origin);
    logger[firstTime ? 'warn' : 'debug'](
      { method: request.method, path: request.routeOptions.url, remote: request.ip, origin: verdict.origin },
      `HTTP request refused: ${message}${firstTime ? ' (repeats from this origin are logged at debug)' : ''}`,
    );
    refuse(request, reply, new HttpRefusal('FORBIDDEN', message));
  });
}
