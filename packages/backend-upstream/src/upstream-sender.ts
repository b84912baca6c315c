import type WebSocket from 'ws';
import { errorRegistry, failedResponse, type ActionResponse } from '@onebot-gateway/core';
import type { PendingActions } from './pending-actions.js';
import type { UpstreamBacklog } from './upstream-backlog.js';
import type { UpstreamOptions } from './upstream-config.js';

/** retcode of every failure the relay itself produces (not connected, timeout, closed): "the action ran and failed". */
export const UPSTREAM_FAILURE_RETCODE = errorRegistry.BACKEND_UNAVAILABLE.retcode;
/** retcode when too many actions or too many unsent bytes already wait for the upstream. */
export const UPSTREAM_BUSY_RETCODE = errorRegistry.RATE_LIMITED.retcode;

/** The open connection to the upstream, if there is one. */
export interface OpenUpstream {
  ws: WebSocket;
  backlog: UpstreamBacklog;
}

export interface UpstreamSenderContext {
  options: UpstreamOptions;
  /** The URL as it may be logged and shown (token redacted). */
  safeUrl: string;
  pending: PendingActions;
  open(): OpenUpstream | undefined;
}

/**
 * Sends one action to the upstream with the relay's own echo and resolves
 * with its answer, or at once with a clear failure: not connected, too many
 * calls waiting, an upstream that is not reading, params that are not JSON.
 */
export function createUpstreamSender({ options, safeUrl, pending, open }: UpstreamSenderContext) {
  let nextEcho = 1;

  function notReading(ws: WebSocket, action: string): ActionResponse {
    return failedResponse(
      UPSTREAM_BUSY_RETCODE,
      `"${action}" refused: the upstream is not reading what the relay sends (${ws.bufferedAmount} bytes unsent, limit ${options.maxBufferedBytes}); retry later`,
    );
  }

  function send(action: string, params: Record<string, unknown>): Promise<ActionResponse> {
    const current = open();
    if (!current) {
      return Promise.resolve(
        failedResponse(
          UPSTREAM_FAILURE_RETCODE,
          `upstream OneBot implementation at ${safeUrl} is not connected; the relay retries every ${options.reconnectInterval} ms, try again later`,
        ),
      );
    }
    const { ws, backlog } = current;
    if (pending.size() >= options.maxPendingActions) {
      return Promise.resolve(
        failedResponse(
          UPSTREAM_BUSY_RETCODE,
          `${options.maxPendingActions} actions are already waiting for the upstream; retry later`,
        ),
      );
    }
    // Checked before serialising too: a stalled upstream must not cost a copy of every refused call.
    if (!backlog.admits(ws.bufferedAmount, 1)) return Promise.resolve(notReading(ws, action));
    const echo = `onebot-gateway-relay:${nextEcho++}`;
    let payload: string;
    try {
      payload = JSON.stringify({ action, params, echo });
    } catch (error) {
      return Promise.resolve(
        failedResponse(
          UPSTREAM_FAILURE_RETCODE,
          `could not send "${action}" to the upstream: its params cannot be written as JSON (${(error as Error).message})`,
        ),
      );
    }
    const bytes = Buffer.byteLength(payload);
    if (!backlog.admits(ws.bufferedAmount, bytes)) return Promise.resolve(notReading(ws, action));
    const answer = pending.add(echo, action, options.timeout, () =>
      failedResponse(
        UPSTREAM_FAILURE_RETCODE,
        `upstream did not answer "${action}" within ${options.timeout} ms; it may be busy or stuck`,
      ),
    );
    backlog.queued(bytes);
    // A string, not a Buffer: ws masks its own copy in place, where a caller's Buffer would be copied once more.
    ws.send(payload, (error) => {
      if (!error) return;
      pending.settle(
        echo,
        failedResponse(
          UPSTREAM_FAILURE_RETCODE,
          `could not send "${action}" to the upstream: ${error.message}`,
        ),
      );
    });
    return answer;
  }

  return { send };
}

export interface UpstreamPingContext {
  ws: WebSocket;
  backlog: UpstreamBacklog;
  pingInterval: number;
  /** Timers of this connection (cleared when its socket closes). */
  interval(fn: () => void, ms: number): unknown;
  /** False once the connection was replaced or closed by the relay: the tick does nothing then. */
  isCurrent(): boolean;
  /** Give up on the connection, saying why. */
  drop(reason: string): void;
}

/**
 * Pings the upstream every pingInterval. An upstream that missed two pings,
 * or that read none of the bytes waiting for it over a whole interval, is
 * dropped (and reconnected).
 */
export function startUpstreamPing(context: UpstreamPingContext): { pong(): void } {
  const { ws, backlog, pingInterval } = context;
  let unansweredPings = 0;
  context.interval(() => {
    if (!context.isCurrent()) return;
    const unsent = ws.bufferedAmount;
    if (backlog.stalledSinceLastTick(unsent)) {
      context.drop(
        `upstream stopped reading: ${unsent} bytes still unsent after a whole ping interval (${pingInterval} ms)`,
      );
      return;
    }
    if (unansweredPings >= 2) {
      context.drop('upstream missed two pings');
      return;
    }
    unansweredPings += 1;
    backlog.queued(0);
    ws.ping();
  }, pingInterval);
  return {
    pong() {
      unansweredPings = 0;
    },
  };
}
