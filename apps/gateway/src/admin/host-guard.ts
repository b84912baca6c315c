import { type AdminConfig } from '@onebot-gateway/core';
import {
  hostNameOf,
  isIpLiteral,
  isLoopbackAddress,
  isLoopbackHostHeader,
} from '@onebot-gateway/core/internal';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** True when `hostHeader` names one of `allowedHosts` (a name, or name:port for one port only). */
export function isAllowedHost(hostHeader: string, allowedHosts: readonly string[]): boolean {
  const full = hostHeader.trim().toLowerCase();
  const name = hostNameOf(full);
  return allowedHosts.some((entry) => {
    const wanted = entry.trim().toLowerCase();
    const wantedHasPort = /^[^:[\]]+:\d+$|\]:\d+$/.test(wanted);
    return wanted === full || (!wantedHasPort && hostNameOf(wanted) === name);
  });
}

/**
 * DNS rebinding guard. A page on evil.example can have its name re-resolved
 * to 127.0.0.1 (or to any address this machine has) and then talk to the
 * admin API as its own origin; the one thing it cannot change is the `Host`
 * header, which still says evil.example. So an admin API listening on
 * loopback only serves `Host` values naming loopback, and the names the
 * operator lists in `gateway.admin.allowedHosts`; anything else gets 421
 * Misdirected Request. A token-less admin API on another address
 * (`allowInsecure`) also serves address literals (`192.168.1.5:6099`), which
 * no DNS answer can produce. With a token on a non-loopback address the
 * token is the guard and any name is served.
 */
export function adminHostGuardHook(config: Pick<AdminConfig, 'host' | 'allowedHosts' | 'token'>) {
  const onLoopback = isLoopbackAddress(config.host);
  const guarded = onLoopback || config.token === '';
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (!guarded) return;
    const host = request.headers.host ?? '';
    if (isLoopbackHostHeader(host) || isAllowedHost(host, config.allowedHosts)) return;
    if (!onLoopback && host.trim() !== '' && isIpLiteral(hostNameOf(host))) return;
    const shown = JSON.stringify(host.length > 200 ? `${host.slice(0, 200)}...` : host);
    const served = onLoopback
      ? 'the admin API listens on loopback and only answers Host names that point at this machine (localhost, 127.0.0.1, [::1])'
      : 'the admin API has no token, so it only answers Host names that are IP addresses or loopback names';
    await reply.code(421).send({
      error:
        `Host ${shown} is not served: ${served}; open it by one of those, or add the name ` +
        `to gateway.admin.allowedHosts and restart`,
    });
  };
}
