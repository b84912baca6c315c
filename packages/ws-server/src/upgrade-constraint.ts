/**
 * The route constraint that lets WebSocket routes share paths with a host's
 * HTTP routes (e.g. http-server's `GET /:action`): upgrades derive
 * "upgrade", plain requests "plain". sse-server's `/_events` asks for
 * "plain" by this name.
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
