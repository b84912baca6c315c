import { checkOrigin, originRefusalMessage } from '@onebot-gateway/core';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Cross-site requests (CSRF) on a token-less admin API: a page elsewhere can
 * make the browser send a form POST or follow a link to it even without
 * CORS. Only the admin API's own pages (Origin = Host) and non-browser
 * clients are served; with a token the token decides. The same rule as the
 * adapters (core's checkOrigin), with no allowedOrigins list of its own.
 */
export function adminOriginGuardHook(token: string) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const verdict = checkOrigin({
      origin: request.headers.origin,
      host: request.headers.host,
      token,
      allowedOrigins: [],
      localAddress: request.socket.localAddress,
      fetchSite: request.headers['sec-fetch-site'],
    });
    if (verdict.allowed) return;
    const why = originRefusalMessage(verdict.origin).replace(
      /set a token.*$/,
      'set gateway.admin.token to use the admin API from another site',
    );
    await reply.code(403).send({ error: why });
  };
}
