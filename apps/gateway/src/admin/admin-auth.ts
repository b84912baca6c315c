import { checkToken, extractToken } from '@onebot-gateway/core';
import { isApiPath } from '@onebot-gateway/dashboard';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createLoginLimiter, type LoginLimiter } from './login-limiter.js';

/** Answers whether a token is needed and whether the one sent is right, without a 401/403 (see registerSessionRoute). */
const SESSION_PATH = '/api/session';

/** The routes behind the token: the API and the metrics. The dashboard's own files are public (they hold no data). */
function needsToken(url: string): boolean {
  return isApiPath(url) && url.split('?')[0] !== SESSION_PATH;
}

function addressOf(request: FastifyRequest): string {
  return request.socket.remoteAddress ?? 'unknown';
}

async function refuseTooMany(reply: FastifyReply, waitMs: number): Promise<void> {
  const seconds = Math.ceil(waitMs / 1000);
  await reply
    .code(429)
    .header('retry-after', String(seconds))
    .send({ error: `too many wrong admin API tokens from this address; try again in ${seconds} s` });
}

/**
 * `GET /api/session`: `{tokenRequired, authenticated}` for the token sent (header only), always 200 but
 * for 429: the dashboard's login asks here, so a browser tab does not log a failed request for the
 * expected "no token yet". A wrong token counts against the address like anywhere else.
 */
export function registerSessionRoute(app: FastifyInstance, token: string, limiter: LoginLimiter): void {
  app.get(SESSION_PATH, async (request, reply) => {
    if (token === '') return { tokenRequired: false, authenticated: true };
    const waitMs = limiter.retryAfterMs(addressOf(request));
    if (waitMs > 0) return refuseTooMany(reply, waitMs);
    const check = checkToken(token, extractToken({ authorization: request.headers.authorization }));
    if (check === 'wrong') limiter.fail(addressOf(request));
    return { tokenRequired: true, authenticated: check === 'ok' };
  });
}

/**
 * Same rules as the adapters (protocol.md section 2): any scheme, bare header or `access_token`; 401 missing, 403 wrong.
 * Wrong tokens are counted per client address: past the limiter's budget the address gets 429 with Retry-After.
 */
export function adminAuthHook(token: string, limiter: LoginLimiter = createLoginLimiter()) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (token === '' || !needsToken(request.url)) return;
    const address = addressOf(request);
    const waitMs = limiter.retryAfterMs(address);
    if (waitMs > 0) return refuseTooMany(reply, waitMs);
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
      limiter.fail(address);
      await reply.code(403).send({ error: 'admin API token is wrong' });
    }
  };
}
