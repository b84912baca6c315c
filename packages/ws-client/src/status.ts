import type { AdapterState, AdapterStatus } from '@onebot-gateway/core';
import { redactSecrets, type createAdapterCounters } from '@onebot-gateway/core/internal';
import type { HeldEvents } from './held-events.js';

export interface StatusParts {
  state: AdapterState;
  /** The URL, token redacted. */
  url: string;
  token: string;
  counters: ReturnType<typeof createAdapterCounters>;
  /** When the connection a session serves opened (ISO 8601); undefined while there is none. */
  connectedSince: string | undefined;
  attempts: number;
  connects: number;
  held: HeldEvents;
  /** Epoch ms of the pending reconnection attempt. */
  nextAttemptAt: number | undefined;
}

/** The adapter's status(): counters, the disconnect buffer, the peer while connected, the next retry while not. */
export function wsClientStatus(parts: StatusParts): AdapterStatus {
  const { counters, held, connectedSince, nextAttemptAt } = parts;
  return {
    state: parts.state,
    url: parts.url,
    connections: connectedSince === undefined ? 0 : 1,
    eventsSent: counters.eventsSent,
    actionsHandled: counters.actionsHandled,
    errors: counters.errors,
    lastError: counters.lastError === undefined ? undefined : redactSecrets(counters.lastError, parts.token),
    connectionAttempts: parts.attempts,
    connects: parts.connects,
    buffered: held.buffer.size,
    dropped: held.drops.total,
    droppedByReason: held.drops.byReason(),
    ...(connectedSince === undefined
      ? {}
      : { peers: [{ remote: parts.url, role: 'universal', since: connectedSince }] }),
    ...(nextAttemptAt === undefined ? {} : { nextRetryAt: new Date(nextAttemptAt).toISOString() }),
  };
}
