import { hostNameOf, isLoopbackAddress, isLoopbackHostHeader, type AdminConfig } from '@onebot-gateway/core';
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
 * to 127.0.0.1 and then talk to a loopback admin API as its own origin; the
 * one thing it cannot change is the `Host` header, which still says
 * evil.example. So an admin API listening on loopback only serves `Host`
 * values naming loopback, and the names the operator lists in
 * `gateway.admin.allowedHosts`; anything else gets 421 Misdirected Request.
 * Off when the admin API listens on another address: there the `Host` is
 * whatever name the LAN uses, and the token is the guard.
 */
export function adminHostGuardHook(config: Pick<AdminConfig, 'host' | 'allowedHosts'>) {
  const guarded = isLoopbackAddress(config.host);
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (!guarded) return;
    const host = request.headers.host ?? '';
    if (isLoopbackHostHeader(host) || isAllowedHost(host, config.allowedHosts)) return;
    const shown = JSON.stringify(host.length > 200 ? `${host.slice(0, 200)}...` : host);
    await reply.code(421).send({
      error:
        `Host ${shown} is not served: the admin API listens on loopback and only answers Host names that ` +
        `point at this machine (localhost, 127.0.0.1, [::1]); open it by one of those, or add the name ` +
        `to gateway.admin.allowedHosts and restart`,
    });
  };
}
