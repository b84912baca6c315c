import WebSocket from 'ws';
import type { AdapterContext, EventListener, EventSubscription } from '@onebot-gateway/core';
import { fromWebSocket, type SessionSocket } from '@onebot-gateway/core/internal';
import type { Confirmations } from './confirmations.js';

/** What the session sees: the adapter's context, with events from `subscribe` (the bus or a durable consumer). */
export function sessionContextOf(
  context: AdapterContext,
  subscribe: (subscription: EventSubscription, listener: EventListener) => () => void,
): AdapterContext {
  return {
    logger: context.logger,
    selfId: () => context.selfId(),
    callAction: (request) => context.callAction(request),
    backendStatus: () => context.backendStatus(),
    subscribe,
  };
}

/**
 * The socket core's session writes to. The session writes events as the
 * bus's shared Buffer and everything else (answers, meta events) as strings,
 * so an event is told apart by its type: each one written is tracked until
 * the server confirms it, and one written too late goes back to the adapter.
 */
export function clientSessionSocket(
  ws: WebSocket,
  confirmations: Confirmations,
  /** An event came while the socket is already closing: it would be lost, so the adapter holds it. */
  unwritable: (bytes: Buffer) => void,
): SessionSocket {
  const base = fromWebSocket(ws);
  return {
    send(data) {
      if (ws.readyState === WebSocket.OPEN) {
        base.send(data);
        if (Buffer.isBuffer(data)) confirmations.track({ bytes: data, at: Date.now() });
        return;
      }
      if (Buffer.isBuffer(data)) unwritable(data);
    },
    close: (code, reason) => base.close(code, reason),
    terminate: () => base.terminate(),
    ping: () => confirmations.ping(),
    get bufferedAmount() {
      return ws.bufferedAmount;
    },
    cork: () => base.cork?.(),
    uncork: () => base.uncork?.(),
  };
}
