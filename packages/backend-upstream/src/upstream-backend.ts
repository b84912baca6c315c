import WebSocket from 'ws';
import {
  noopLogger,
  redactUrl,
  type Backend,
  type BackendOptions,
  type UpstreamBackendConfig,
} from '@onebot-gateway/core';
import {
  createFirstAttempt,
  createReconnectingSocket,
  settleWithin,
  type DialledSocket,
} from '@onebot-gateway/core/internal';
import { createFrameDrops } from './frame-drops.js';
import { createPendingActions } from './pending-actions.js';
import { createUpstreamBacklog } from './upstream-backlog.js';
import { resolveUpstreamOptions, validateUpstreamUrl, type UpstreamOptions } from './upstream-config.js';
import { createUpstreamInbound } from './upstream-inbound.js';
import {
  createUpstreamSender,
  startUpstreamPing,
  UPSTREAM_FAILURE_RETCODE,
  type OpenUpstream,
} from './upstream-sender.js';

export { UPSTREAM_BUSY_RETCODE, UPSTREAM_FAILURE_RETCODE } from './upstream-sender.js';

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
 * implementation, kept up by core's reconnecting socket. Its events go on the
 * bus, every action the router has no handler for goes to it, echo-correlated
 * with the relay's own echo ids.
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
  const inbound = createUpstreamInbound({ bus, pending, drops, log });

  /** The connection while it is open (with its own backlog); undefined otherwise. */
  let open: OpenUpstream | undefined;
  let stopped = true;
  let consecutiveFailures = 0;
  let reconnects = 0;
  let lastError: string | undefined;
  /** What `start()` waits for: the first connection attempt's outcome (its login query, when it opens). */
  const firstAttempt = createFirstAttempt();

  const { send } = createUpstreamSender({ options, safeUrl, pending, open: () => open });

  const socket = createReconnectingSocket<WebSocket>({
    dial() {
      const headers: Record<string, string> = {
        'User-Agent': 'OneBot/11 onebot-gateway-relay',
        'X-Client-Role': 'Universal',
      };
      if (options.token) headers.Authorization = `Bearer ${options.token}`;
      return new WebSocket(options.url, {
        headers,
        maxPayload: options.maxPayload,
        perMessageDeflate: false,
      });
    },
    dialFailed(error) {
      noteFailure(error instanceof Error ? error.message : String(error));
      firstAttempt.settle();
    },
    connection: onDialled,
    reconnectInterval: () => options.reconnectInterval,
    closeTimeoutMs: UPSTREAM_CLOSE_HANDSHAKE_MS,
  });

  async function learnSelfId(): Promise<void> {
    const response = await send('get_login_info', {});
    const id = Number((response.data as { user_id?: unknown } | null)?.user_id);
    if (response.retcode === 0 && Number.isSafeInteger(id) && id > 0) {
      inbound.learnSelfId(id);
      log.info({ selfId: id }, `upstream account is ${id}`);
    } else {
      log.warn(
        { retcode: response.retcode },
        `get_login_info on the upstream failed: ${response.message}; self_id comes from its events`,
      );
    }
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

  function noteFailure(message: string): void {
    lastError = message;
    consecutiveFailures += 1;
    // Log the first failure of a streak loudly and the retries quietly, so a
    // down upstream does not flood the log.
    const level = consecutiveFailures === 1 ? 'warn' : 'debug';
    log[level](
      { url: safeUrl },
      `upstream ${safeUrl}: ${message}; retrying every ${options.reconnectInterval} ms`,
    );
  }

  /** The connection closed (or the relay stopped it): every call waiting for an answer fails now. */
  function closed(wasOpen: boolean, code: number): void {
    open = undefined;
    pending.failAll(
      UPSTREAM_FAILURE_RETCODE,
      (action) => `connection to the upstream closed before it answered "${action}"; retry`,
    );
    if (wasOpen) log.warn({ url: safeUrl, code }, `disconnected from upstream ${safeUrl} (code ${code})`);
  }

  /** What happens on one socket (core's reconnecting socket calls these only while it is current). */
  function onDialled({ socket: ws, retry, timers, isCurrent }: DialledSocket<WebSocket>) {
    if (retry) reconnects += 1;
    const backlog = createUpstreamBacklog(options.maxBufferedBytes);
    let ping: { pong(): void } | undefined;
    return {
      open() {
        open = { ws, backlog };
        consecutiveFailures = 0;
        lastError = undefined;
        log.info({ url: safeUrl }, `connected to upstream ${safeUrl}`);
        ping = startUpstreamPing({
          ws,
          backlog,
          pingInterval: options.pingInterval,
          interval: timers.interval,
          isCurrent,
          drop: (reason) => dropConnection(ws, reason),
        });
        const loggedIn = firstAttempt.take();
        void settleWithin(learnSelfId(), LOGIN_INFO_WAIT_MS, { unref: true }).then(loggedIn);
      },
      message: inbound.handleFrame,
      pong: () => ping?.pong(),
      error(error: Error) {
        if ((error as { code?: unknown }).code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
          // ws closes the connection (1009) for a frame past maxPayload; it reconnects like any close.
          lastError = `upstream sent a frame larger than ${options.maxPayload} bytes`;
          drops.record(
            'too large',
            `a frame larger than ${options.maxPayload} bytes; connection closed (1009)`,
          );
          return;
        }
        noteFailure(error.message);
      },
      close(code: number) {
        closed(open?.ws === ws, code);
        firstAttempt.settle();
      },
    };
  }

  router.setFallback(({ action, params }) => send(action, params));

  return {
    type: 'upstream',
    async start() {
      if (!stopped) return;
      validateUpstreamUrl(options.url);
      stopped = false;
      const first = firstAttempt.wait();
      log.info({ url: safeUrl }, `relaying to upstream OneBot implementation ${safeUrl}`);
      socket.connect();
      await first;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      firstAttempt.settle();
      const wasOpen = open !== undefined;
      const code = await socket.stop(1001, 'relay stopping');
      // The socket's own close handler is silenced by the stop; what it would say is said here.
      if (code !== undefined) closed(wasOpen, code);
      open = undefined;
      pending.failAll(
        UPSTREAM_FAILURE_RETCODE,
        (action) => `the relay stopped before the upstream answered "${action}"`,
      );
    },
    selfId: () => inbound.selfId(),
    connected: () => open !== undefined,
    status() {
      const isOpen = open !== undefined;
      const state: UpstreamState = stopped
        ? 'stopped'
        : isOpen
          ? 'connected'
          : socket.nextAttemptAt !== undefined
            ? 'reconnecting'
            : 'connecting';
      const upstreamStatus = inbound.status();
      const online = isOpen && (upstreamStatus?.online ?? true) !== false;
      const good = isOpen && (upstreamStatus?.good ?? true) !== false;
      const retryAt = socket.nextAttemptAt;
      return {
        ...(upstreamStatus ?? {}),
        online,
        good,
        upstream: {
          url: safeUrl,
          state,
          connected: isOpen,
          pendingActions: pending.size(),
          bufferedBytes: open ? open.ws.bufferedAmount : 0,
          maxBufferedBytes: options.maxBufferedBytes,
          droppedFrames: drops.total(),
          ...(drops.last() ? { lastDroppedFrame: drops.last() } : {}),
          reconnects,
          ...(lastError ? { lastError } : {}),
          ...(retryAt === undefined ? {} : { nextRetryAt: new Date(retryAt).toISOString() }),
        },
      };
    },
  };
}
