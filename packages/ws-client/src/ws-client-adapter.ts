import WebSocket from 'ws';
import {
  redactUrl,
  type Adapter,
  type AdapterContext,
  type EventListener,
  type EventSubscription,
  type WebsocketClientConfig,
} from '@onebot-gateway/core';
import {
  ABNORMAL_CLOSURE,
  createAdapterCounters,
  createAdapterLifecycle,
  createFirstAttempt,
  createReconnectingSocket,
  redactSecrets,
  type DialledSocket,
} from '@onebot-gateway/core/internal';
import { resolveWsClientConfig, type WsClientOptions } from './config.js';
import { newConnection, startSession, type Connection } from './connection.js';
import { createConnectionNotes } from './connection-notes.js';
import { dialOptions, needsReconnect, sessionOptionsOf, targetUrl } from './dial.js';
import { startDurableRelay, type DurableRelay } from './durable-relay.js';
import { createHeldEvents } from './held-events.js';
import { sessionContextOf } from './session-socket.js';
import { wsClientStatus } from './status.js';
import { createTrustedCaHolder } from './trusted-ca.js';

export { WS_CLIENT_USER_AGENT } from './dial.js';
export type { WsClientDropReason } from './held-events.js';

/** How long stop() waits for the closing handshake before it terminates the socket. */
export const CLOSE_TIMEOUT_MS = 2000;

export interface WsClientAdapterOptions {
  /** Folder that a relative `tls.ca` path starts from: the config file's. Default: the working directory. */
  baseDir?: string;
}

/**
 * Reverse WebSocket (protocol.md section 7, "WebSocket client"): one
 * universal connection to `url`, served by core's OneBot session exactly like
 * a forward universal connection, kept up by core's reconnecting socket
 * (retry with jitter for ever; callbacks of a replaced socket do nothing).
 * While disconnected (from the moment the session is disposed), events go to
 * a bounded buffer that is flushed, in order, right after the next lifecycle
 * `connect`; events written to a socket that then died without a closing
 * handshake, and that its server never confirmed, go back to that buffer.
 */
export function createWsClientAdapter(
  partialConfig: Partial<WsClientOptions>,
  context: AdapterContext,
  options: WsClientAdapterOptions = {},
): Adapter<WebsocketClientConfig> {
  let config: WsClientOptions = resolveWsClientConfig(partialConfig);
  /** `tls.ca` plus the system CAs; undefined without `tls`. */
  const trustedCa = createTrustedCaHolder(options.baseDir ?? process.cwd());
  const name = config.name;
  const logger = context.logger;
  const counters = createAdapterCounters();
  /** config.url with http(s) mapped to ws(s); set by start() and reload(). */
  let dialUrl = '';
  const loggedUrl = (): string => redactSecrets(redactUrl(config.url), config.token);
  /** `durable: true`: events come from a JetStream durable consumer (durable-relay.ts), set at start. */
  let relay: DurableRelay | undefined;
  /** From start until stop begins: unconfirmed events of a lost socket go back to the buffer only then. */
  let serving = false;
  /** The connection being opened or served; cleared on its close, on reload and on stop. */
  let current: Connection | undefined;
  let connects = 0;
  /** What start() waits for: the first attempt's session, refusal or close. */
  const firstAttempt = createFirstAttempt();

  function subscribeEvents(subscription: EventSubscription, listener: EventListener): () => void {
    return relay ? relay.subscribe(listener) : context.subscribe(subscription, listener);
  }
  const sessionContext = sessionContextOf(context, subscribeEvents);
  const held = createHeldEvents({ logger, config: () => config, subscribe: subscribeEvents });
  const { buffer } = held;
  const notes = createConnectionNotes({
    logger,
    counters,
    url: loggedUrl,
    reconnectInterval: () => config.reconnectInterval,
    attempts: () => socket.attempts,
  });

  const socket = createReconnectingSocket<WebSocket>({
    dial(attempt) {
      if (config.debug) logger.info({ url: loggedUrl(), attempt }, 'connecting');
      return new WebSocket(dialUrl, dialOptions(config, context.selfId(), trustedCa.list));
    },
    dialFailed(error) {
      notes.failed(error instanceof Error ? error.message : String(error));
      firstAttempt.settle();
    },
    connection: onDialled,
    reconnectInterval: () => config.reconnectInterval,
    closeTimeoutMs: CLOSE_TIMEOUT_MS,
  });

  /** What happens on one socket (core's reconnecting socket calls these only while it is current). */
  function onDialled(dialled: DialledSocket<WebSocket>) {
    const conn = newConnection(
      dialled,
      () => config.bufferSize,
      (item) => relay?.confirmed(item.bytes),
    );
    current = conn;
    return {
      open: () => onOpen(conn),
      message(data: WebSocket.RawData, isBinary: boolean) {
        notes.accepted();
        conn.session?.handleFrame(data, isBinary);
      },
      pong(data: Buffer) {
        notes.accepted();
        const upTo = Number(data.toString('utf8'));
        if (Number.isSafeInteger(upTo)) conn.confirmations.confirm(upTo);
        conn.session?.handlePong();
      },
      unexpectedResponse: (response: { statusCode?: number }) => notes.httpAnswer(response.statusCode),
      error(error: Error) {
        const detail = notes.socketError(error);
        if (conn.session !== undefined) logger.warn({ url: loggedUrl() }, `WebSocket error: ${detail}`);
      },
      close: (code: number, reason: Buffer) => onClose(conn, code, reason),
    };
  }

  function onOpen(conn: Connection): void {
    conn.opened = true;
    conn.since = new Date().toISOString();
    connects += 1;
    notes.connected();
    const session = startSession(conn, {
      context: sessionContext,
      options: sessionOptionsOf(config),
      logger,
      counters,
      held,
      isCurrent: () => conn === current,
    });
    if (session === undefined) {
      firstAttempt.settle();
      return;
    }
    conn.session = session;
    // Same tick: every event published before now is in the buffer, every later one reaches the session.
    held.release();
    const delivered = held.flushTo(conn.dialled.socket, (item) => conn.confirmations.track(item));
    counters.eventsSent += delivered;
    if (delivered > 0) {
      // A server that accepts and drops the socket at once must not swallow the flushed events: its pong confirms them.
      conn.confirmations.ping();
      logger.info({ events: delivered }, `delivered ${delivered} events held while disconnected`);
    }
    firstAttempt.settle();
  }

  function onClose(conn: Connection, code: number, reason: Buffer): void {
    conn.session?.dispose();
    conn.session = undefined;
    current = undefined;
    held.hold();
    // A close frame from the server means it read every frame sent before ours (RFC 6455 section 5.5.1).
    if (code === ABNORMAL_CLOSURE) requeueUnconfirmed(conn);
    notes.closed(conn.opened, code, reason, config.token);
    firstAttempt.settle();
  }

  /**
   * The socket died without a closing handshake: what its server did not
   * confirm may never have arrived. Back to the front of the buffer, older
   * than anything buffered since (at least once rather than maybe never).
   */
  function requeueUnconfirmed(conn: Connection): void {
    const lost = conn.confirmations.takeUnconfirmed();
    counters.eventsSent -= lost.length;
    held.takeBack(lost, !serving);
  }

  /** Close the current socket (if any): its session goes first, so events published meanwhile are held. */
  async function closeCurrent(code: number, reason: string, stopping: boolean): Promise<void> {
    const conn = current;
    current = undefined;
    conn?.session?.dispose();
    if (conn !== undefined) conn.session = undefined;
    // Same tick as the dispose: events published while the socket closes are buffered, not lost.
    held.hold();
    const closedWith = await (stopping ? socket.stop(code, reason) : socket.close(code, reason));
    if (conn !== undefined && closedWith === ABNORMAL_CLOSURE) requeueUnconfirmed(conn);
  }

  async function open(): Promise<void> {
    // A missing or non-PEM CA file fails the start with a reason naming it. Without `tls` nothing
    // is awaited: events published right after start() must reach the buffer.
    const loading = trustedCa.load(config);
    if (loading !== undefined) await loading;
    dialUrl = targetUrl(config);
    if (config.durable) relay = await startDurableRelay(config, context);
    serving = true;
    held.hold();
    const first = firstAttempt.wait();
    socket.connect();
    await first;
  }

  async function close(): Promise<void> {
    // A start that failed before it served anything left nothing to close.
    if (!serving && relay === undefined) return;
    serving = false;
    firstAttempt.settle();
    await closeCurrent(1001, 'gateway stopping', true);
    held.release();
    // Unconfirmed events stay unacknowledged: the next process gets them again.
    await relay?.stop();
    relay = undefined;
    held.dropAll();
    logger.info({ url: loggedUrl() }, 'stopped');
  }

  const lifecycle = createAdapterLifecycle(
    { open, close, onError: (error) => counters.recordError(error) },
    // start() subscribes to the bus and reload() takes the session off it inside the call.
    { beginAtOnce: true },
  );

  /** Re-read `tls.ca` for the next connection; the open one stays. Rejects, keeping the old list, on a bad file. */
  async function loadCa(): Promise<void> {
    if (lifecycle.state !== 'running') return;
    try {
      await trustedCa.load(config);
    } catch (error) {
      counters.recordError(error);
      throw error;
    }
  }

  async function reload(next: WebsocketClientConfig): Promise<void> {
    const previous = config;
    config = { ...resolveWsClientConfig(next), name };
    buffer.setLimits({ maxEvents: config.bufferSize, maxAgeMs: config.bufferMaxAge });
    if (lifecycle.state !== 'running') return;
    // Only awaited with a `tls` block, so a reload without one keeps its old timing exactly.
    if (config.tls !== undefined || previous.tls !== undefined) {
      await loadCa().catch((error: unknown) =>
        logger.error({}, `${(error as Error).message}; the CA list in use stays`),
      );
    }
    if (needsReconnect(previous, config)) {
      dialUrl = targetUrl(config);
      await closeCurrent(1000, 'reconfigured', false);
      if (lifecycle.state === 'running') socket.connect();
      return;
    }
    current?.session?.update(sessionOptionsOf(config));
    if (
      previous.messagePostFormat !== config.messagePostFormat ||
      previous.reportSelfMessage !== config.reportSelfMessage
    )
      held.resubscribe();
    logger.info({ url: loggedUrl() }, 'configuration reloaded');
  }

  return {
    name,
    kind: 'websocketClients',
    start: () => lifecycle.start(),
    stop() {
      // A stop during start does not wait for the first attempt to end (up to handshakeTimeout).
      firstAttempt.settle();
      return lifecycle.stop();
    },
    reload: (next) => lifecycle.serially(() => reload(next)),
    reloadTls: () => lifecycle.serially(loadCa),
    status: () =>
      wsClientStatus({
        state: lifecycle.state,
        url: loggedUrl(),
        token: config.token,
        counters,
        connectedSince: current?.session === undefined ? undefined : current.since,
        attempts: socket.attempts,
        connects,
        held,
        nextAttemptAt: socket.nextAttemptAt,
      }),
  };
}
