import WebSocket from 'ws';
import {
  errorRegistry,
  failedResponse,
  noopLogger,
  redactUrl,
  type ActionResponse,
  type Backend,
  type BackendOptions,
  type BackendStatus,
  type OneBotEvent,
  type UpstreamBackendConfig,
} from '@onebot-gateway/core';
import { createFrameDrops } from './frame-drops.js';
import { createPendingActions } from './pending-actions.js';
import { createUpstreamBacklog, type UpstreamBacklog } from './upstream-backlog.js';
import { resolveUpstreamOptions, validateUpstreamUrl, type UpstreamOptions } from './upstream-config.js';
import { isEventFrame, normaliseUpstreamEvent, selfIdOf } from './upstream-events.js';
import { describeFrame, readUpstreamFrame } from './upstream-frame.js';
import { isResponseFrame, normaliseUpstreamResponse } from './upstream-response.js';
import { settleWithin } from '@onebot-gateway/core/internal';

/** retcode of every failure the relay itself produces (not connected, timeout, closed): "the action ran and failed". */
export const UPSTREAM_FAILURE_RETCODE = errorRegistry.BACKEND_UNAVAILABLE.retcode;
/** retcode when too many actions or too many unsent bytes already wait for the upstream. */
export const UPSTREAM_BUSY_RETCODE = errorRegistry.RATE_LIMITED.retcode;

/** How long `stop()` waits for the upstream's close frame before cutting the socket. */
export const UPSTREAM_CLOSE_HANDSHAKE_MS = 1_000;
/** How long `start()` waits for `get_login_info` after connecting before it resolves anyway. */
const LOGIN_INFO_WAIT_MS = 5_000;

export interface UpstreamBackend extends Backend {
  readonly type: 'upstream';
  /** True while the WebSocket to the upstream is open. */
  connected(): boolean;
}

/** Where the connection to the upstream stands, as `status().upstream.state` reports it. */
export type UpstreamState = 'stopped' | 'connecting' | 'connected' | 'reconnecting';

export type UpstreamBackendOptions = BackendOptions<
  Partial<UpstreamBackendConfig> & Partial<UpstreamOptions>
>;

/**
 * A relay backend: one forward (universal) WebSocket to an existing OneBot 11
 * implementation. Its events go on the bus, every action the router has no
 * handler for goes to it, echo-correlated with the relay's own echo ids.
 */
export function createUpstreamBackend({
  config,
  router,
  bus,
  logger = noopLogger,
}: UpstreamBackendOptions): UpstreamBackend {
  const options = resolveUpstreamOptions(config);
  const safeUrl = redactUrl(options.url);
  const log = logger.child({ backend: 'upstream' });
  const pending = createPendingActions();
  const drops = createFrameDrops(log);

  let socket: WebSocket | undefined;
  let backlog: UpstreamBacklog = createUpstreamBacklog(options.maxBufferedBytes);
  let isOpen = false;
  let stopped = true;
  let learnedSelfId = 0;
  let upstreamStatus: BackendStatus | undefined;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let pingTimer: NodeJS.Timeout | undefined;
  let unansweredPings = 0;
  let nextEcho = 1;
  let consecutiveFailures = 0;
  let reconnects = 0;
  let lastError: string | undefined;
  /** Resolved by the first connection attempt's outcome, for `start()`. */
  let firstAttemptDone: (() => void) | undefined;

  function send(action: string, params: Record<string, unknown>): Promise<ActionResponse> {
    const current = socket;
    if (!current || !isOpen) {
      return Promise.resolve(
        failedResponse(
          UPSTREAM_FAILURE_RETCODE,
          `upstream OneBot implementation at ${safeUrl} is not connected; the relay retries every ${options.reconnectInterval} ms, try again later`,
        ),
      );
    }
    if (pending.size() >= options.maxPendingActions) {
      return Promise.resolve(
        failedResponse(
          UPSTREAM_BUSY_RETCODE,
          `${options.maxPendingActions} actions are already waiting for the upstream; retry later`,
        ),
      );
    }
    // Checked before serialising too: a stalled upstream must not cost a copy of every refused call.
    if (!backlog.admits(current.bufferedAmount, 1)) return Promise.resolve(notReading(current, action));
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
    if (!backlog.admits(current.bufferedAmount, bytes)) return Promise.resolve(notReading(current, action));
    const answer = pending.add(echo, action, options.timeout, () =>
      failedResponse(
        UPSTREAM_FAILURE_RETCODE,
        `upstream did not answer "${action}" within ${options.timeout} ms; it may be busy or stuck`,
      ),
    );
    backlog.queued(bytes);
    // A string, not a Buffer: ws masks its own copy in place, where a caller's Buffer would be copied once more.
    current.send(payload, (error) => {
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

  function notReading(current: WebSocket, action: string): ActionResponse {
    return failedResponse(
      UPSTREAM_BUSY_RETCODE,
      `"${action}" refused: the upstream is not reading what the relay sends (${current.bufferedAmount} bytes unsent, limit ${options.maxBufferedBytes}); retry later`,
    );
  }

  async function learnSelfId(): Promise<void> {
    const response = await send('get_login_info', {});
    const id = Number((response.data as { user_id?: unknown } | null)?.user_id);
    if (response.retcode === 0 && Number.isSafeInteger(id) && id > 0) {
      learnedSelfId = id;
      log.info({ selfId: id }, `upstream account is ${id}`);
    } else {
      log.warn(
        { retcode: response.retcode },
        `get_login_info on the upstream failed: ${response.message}; self_id comes from its events`,
      );
    }
  }

  function handleEvent(event: OneBotEvent): void {
    const id = selfIdOf(event);
    if (id !== undefined) learnedSelfId = id;
    if (event.post_type === 'meta_event') {
      // Each adapter makes its own lifecycle and heartbeat events; the upstream's
      // only tell us whether the account is healthy.
      if (
        event.meta_event_type === 'heartbeat' &&
        typeof event.status === 'object' &&
        event.status !== null
      ) {
        upstreamStatus = event.status as BackendStatus;
      }
      return;
    }
    bus.publish(normaliseUpstreamEvent(event));
  }

  function handleFrame(data: WebSocket.RawData): void {
    const read = readUpstreamFrame(data);
    if (!read.ok) {
      // Unparsed, so an answer's echo is unknown: its caller fails at its timeout, as for a lost answer.
      drops.record(read.problem, read.detail);
      return;
    }
    const { frame } = read;
    try {
      if (isEventFrame(frame)) {
        handleEvent(frame);
        return;
      }
      if (isResponseFrame(frame) && typeof frame.echo === 'string') {
        if (pending.settle(frame.echo, normaliseUpstreamResponse(frame))) return;
      }
    } catch (error) {
      // Nothing the upstream sends may end the process: whatever slipped past the checks is dropped.
      drops.record('could not be handled', `${describeFrame(frame)} (${(error as Error).message})`);
      return;
    }
    log.debug('upstream sent an answer nobody is waiting for (late after a timeout, or not ours); ignored');
  }

  function stopPing(): void {
    if (pingTimer) clearInterval(pingTimer);
    pingTimer = undefined;
  }

  /** Treat the connection as down: say why in the log and in status(), then cut it (close reconnects). */
  function dropConnection(ws: WebSocket, reason: string): void {
    lastError = reason;
    log.warn(
      { url: safeUrl, bufferedBytes: ws.bufferedAmount },
      `${reason}; dropping the connection and reconnecting`,
    );
    ws.terminate();
  }

  function startPing(ws: WebSocket): void {
    unansweredPings = 0;
    pingTimer = setInterval(() => {
      const unsent = ws.bufferedAmount;
      if (backlog.stalledSinceLastTick(unsent)) {
        dropConnection(
          ws,
          `upstream stopped reading: ${unsent} bytes still unsent after a whole ping interval (${options.pingInterval} ms)`,
        );
        return;
      }
      if (unansweredPings >= 2) {
        dropConnection(ws, 'upstream missed two pings');
        return;
      }
      unansweredPings += 1;
      backlog.queued(0);
      ws.ping();
    }, options.pingInterval);
  }

  function scheduleReconnect(): void {
    if (stopped || reconnectTimer) return;
    // Jitter keeps many relays from hammering a restarted upstream in lockstep.
    const delay = Math.round(options.reconnectInterval * (0.9 + Math.random() * 0.2));
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      reconnects += 1;
      connect();
    }, delay);
  }

  function connect(): void {
    const headers: Record<string, string> = {
      'User-Agent': 'OneBot/11 onebot-gateway-relay',
      'X-Client-Role': 'Universal',
    };
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    const ws = new WebSocket(options.url, {
      headers,
      maxPayload: options.maxPayload,
      perMessageDeflate: false,
    });
    socket = ws;
    backlog = createUpstreamBacklog(options.maxBufferedBytes);

    ws.on('open', () => {
      isOpen = true;
      consecutiveFailures = 0;
      lastError = undefined;
      log.info({ url: safeUrl }, `connected to upstream ${safeUrl}`);
      startPing(ws);
      const done = firstAttemptDone;
      firstAttemptDone = undefined;
      void settleWithin(learnSelfId(), LOGIN_INFO_WAIT_MS, { unref: true }).then(() => done?.());
    });
    ws.on('message', handleFrame);
    ws.on('pong', () => {
      unansweredPings = 0;
    });
    ws.on('error', (error) => {
      if ((error as { code?: unknown }).code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        // ws closes the connection (1009) for a frame past maxPayload; it reconnects like any close.
        lastError = `upstream sent a frame larger than ${options.maxPayload} bytes`;
        drops.record(
          'too large',
          `a frame larger than ${options.maxPayload} bytes; connection closed (1009)`,
        );
        return;
      }
      lastError = error.message;
      consecutiveFailures += 1;
      // Log the first failure of a streak loudly and the retries quietly, so a
      // down upstream does not flood the log.
      const level = consecutiveFailures === 1 ? 'warn' : 'debug';
      log[level](
        { url: safeUrl },
        `upstream ${safeUrl}: ${error.message}; retrying every ${options.reconnectInterval} ms`,
      );
    });
    ws.on('close', (code) => {
      const wasOpen = isOpen;
      isOpen = false;
      stopPing();
      if (socket === ws) socket = undefined;
      pending.failAll(
        UPSTREAM_FAILURE_RETCODE,
        (action) => `connection to the upstream closed before it answered "${action}"; retry`,
      );
      if (wasOpen) log.warn({ url: safeUrl, code }, `disconnected from upstream ${safeUrl} (code ${code})`);
      const done = firstAttemptDone;
      firstAttemptDone = undefined;
      done?.();
      scheduleReconnect();
    });
  }

  router.setFallback(({ action, params }) => send(action, params));

  return {
    type: 'upstream',
    async start() {
      if (!stopped) return;
      validateUpstreamUrl(options.url);
      stopped = false;
      const firstAttempt = new Promise<void>((resolve) => {
        firstAttemptDone = resolve;
      });
      log.info({ url: safeUrl }, `relaying to upstream OneBot implementation ${safeUrl}`);
      connect();
      await firstAttempt;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      reconnectTimer = undefined;
      stopPing();
      firstAttemptDone?.();
      firstAttemptDone = undefined;
      const ws = socket;
      if (ws && ws.readyState !== WebSocket.CLOSED) {
        const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
        const forced = setTimeout(() => ws.terminate(), UPSTREAM_CLOSE_HANDSHAKE_MS);
        if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
        else ws.close(1001, 'relay stopping');
        await closed;
        clearTimeout(forced);
      }
      socket = undefined;
      isOpen = false;
      pending.failAll(
        UPSTREAM_FAILURE_RETCODE,
        (action) => `the relay stopped before the upstream answered "${action}"`,
      );
    },
    selfId: () => learnedSelfId,
    connected: () => isOpen,
    status() {
      const state: UpstreamState = stopped
        ? 'stopped'
        : isOpen
          ? 'connected'
          : reconnectTimer
            ? 'reconnecting'
            : 'connecting';
      const online = isOpen && (upstreamStatus?.online ?? true) !== false;
      const good = isOpen && (upstreamStatus?.good ?? true) !== false;
      return {
        ...(upstreamStatus ?? {}),
        online,
        good,
        upstream: {
          url: safeUrl,
          state,
          connected: isOpen,
          pendingActions: pending.size(),
          bufferedBytes: isOpen && socket ? socket.bufferedAmount : 0,
          maxBufferedBytes: options.maxBufferedBytes,
          droppedFrames: drops.total(),
          ...(drops.last() ? { lastDroppedFrame: drops.last() } : {}),
          reconnects,
          ...(lastError ? { lastError } : {}),
        },
      };
    },
  };
}
