import { checkToken, extractToken } from '@onebot-gateway/core';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Same rules as the adapters (protocol.md section 2): any scheme, bare header or `access_token`; 401 missing, 403 wrong. */
export function adminAuthHook(token: string) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (token === '') return;
    const query = request.query as Record<string, string | string[] | undefined> | undefined;
    const provided = extractToken({
      authorization: request.headers.authorization,
      accessToken: query?.access_token,
    });
    const check = checkToken(token, provided);
    if (check === 'missing') {
      await reply
        .code(401)
        .send({ error: 'admin API token required: send "Authorization: Bearer <token>" or ?access_token=' });
    } else if (check === 'wrong') {
      await reply.code(403).send({ error: 'admin API token is wrong' });
    }
  };
}
