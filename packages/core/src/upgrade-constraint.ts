/**
 * The fastify route constraint that lets WebSocket routes share paths with a
 * host's plain HTTP routes (http-server's `GET /:action`, sse-server's
 * `/_events`): upgrades derive "upgrade", plain requests "plain". ws-server
 * registers it and asks for "upgrade"; a plain route on a path the upgrades
 * also serve asks for "plain" by `upgradeConstraintName`. Here, not in
 * ws-server, because sse-server needs the name without depending on ws-server;
 * a plain object, so core stays free of fastify.
 */
export const upgradeConstraintName = 'onebotWebSocket';

export const upgradeConstraint = {
  name: upgradeConstraintName,
  storage() {
    const handlers = new Map<string, unknown>();
    return {
      get: (value: string) => (handlers.get(value) ?? null) as never,
      set: (value: string, handler: unknown) => void handlers.set(value, handler),
    };
  },
  deriveConstraint(request: { headers: Record<string, string | string[] | undefined> }) {
    const upgrade = request.headers.upgrade;
    return typeof upgrade === 'string' && upgrade.toLowerCase() === 'websocket' ? 'upgrade' : 'plain';
  },
  mustMatchWhenDerived: false,
};
