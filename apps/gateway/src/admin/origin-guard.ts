import { checkRequestOrigin, originRefusalMessage } from '@onebot-gateway/core/internal';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isApiPath } from '@onebot-gateway/dashboard';
import { isAllowedHost } from './host-guard.js';

/**
 * The admin API's own page when it is reached by a name in `allowedHosts`
 * (a reverse proxy's `dash.lan`): the browser sends `Origin: http://dash.lan`
 * with `Host: dash.lan`, which core's same-host rule refuses on a loopback
 * listener (DNS rebinding looks the same). The operator listed that name, so
 * an Origin equal to the Host (either scheme: a proxy may terminate TLS) is
 * the admin API's own.
 */
function allowedHostOrigins(host: string | undefined, allowedHosts: readonly string[]): string[] {
  if (host === undefined || host.trim() === '' || !isAllowedHost(host, allowedHosts)) return [];
  const name = host.trim();
  return [`http://${name}`, `https://${name}`];
}

/**
 * Cross-site requests (CSRF) on a token-less admin API: a page elsewhere can
 * make the browser send a form POST or follow a link to it even without
 * CORS. Only the admin API's own pages (Origin = Host, the Host naming
 * loopback or a name in `allowedHosts`) and non-browser clients are served;
 * with a token the token decides. The same rule as the adapters (core's
 * checkOrigin), with no allowedOrigins list of its own.
 */
export function adminOriginGuardHook(token: string, allowedHosts: readonly string[] = []) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    // The dashboard's page and files hold no data and change nothing: a link to it from another
    // site (a README, a bookmark page) must open it. Its API calls are same-origin and checked here.
    if ((request.method === 'GET' || request.method === 'HEAD') && !isApiPath(request.url)) return;
    const verdict = checkRequestOrigin(request, {
      token,
      allowedOrigins: allowedHostOrigins(request.headers.host, allowedHosts),
      fetchSite: true,
    });
    if (verdict.allowed) return;
    const why = originRefusalMessage(verdict.origin).replace(
      /set a token.*$/,
      'set gateway.admin.token to use the admin API from another site',
    );
    await reply.code(403).send({ error: why });
  };
}
