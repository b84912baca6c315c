import WebSocket from 'ws';
import type { IncomingMessage } from 'node:http';
import {
  OneBotError,
  redactUrl,
  type Adapter,
  type AdapterContext,
  type AdapterState,
  type AdapterStatus,
  type EventListener,
  type EventSubscription,
  type OneBotEvent,
  type WebsocketClientConfig,
} from '@onebot-gateway/core';
import {
  createAdapterCounters,
  createDropLog,
  createOneBotSession,
  fromWebSocket,
  redactSecrets,
  type OneBotSession,
  type SessionOptions,
  type SessionSocket,
} from '@onebot-gateway/core/internal';
import { resolveWsClientConfig, type WsClientOptions } from './config.js';
import { loadTrustedCa } from './trusted-ca.js';

import { createEventBuffer, type BufferDropReason, type BufferedEvent } from './event-buffer.js';
import { startDurableRelay, type DurableRelay } from './durable-relay.js';

export const WS_CLIENT_USER_AGENT = 'OneBot/11';

/** How long stop() waits for the closing handshake before it terminates the socket. */
export const CLOSE_TIMEOUT_MS = 2000;

export type WsClientDropReason = BufferDropReason | 'stopped';

/** Extra jitter on top of reconnectInterval: up to 10 %, at most 1 s, so many gateways don't reconnect in lockstep. */
export function reconnectDelay(intervalMs: number): number {
  return Math.round(Math.max(0, intervalMs) + Math.random() * Math.min(1000, intervalMs * 0.1));
}

/**
 * The ws:// or wss:// URL to dial. http:// and https:// are accepted on
 * purpose (core's schema loads them: NapCat users write them) and mean ws://
 * and wss://; anything else cannot be reached and fails start().
 */
function targetUrl(config: WsClientOptions): string {
  let target: URL | undefined;
  try {
    target = new URL(config.url);
  } catch {
    target = undefined;
  }
  const scheme = target === undefined ? undefined : WS_SCHEME_OF[target.protocol];
  if (target === undefined || scheme === undefined) {
    throw new OneBotError(
      'ADAPTER_START_FAILED',
      `${config.name}: url "${redactSecrets(redactUrl(String(config.url)), config.token)}" is not a ws://, wss://, http:// or https:// URL; fix "url" in this websocketClients entry`,
      { details: { adapter: config.name } },
    );
  }
  target.protocol = scheme;
  return target.href;
}

const WS_SCHEME_OF: Readonly<Record<string, string | undefined>> = {
  'ws:': 'ws:',
  'wss:': 'wss:',
  'http:': 'ws:',
  'https:': 'wss:',
};

/** The event behind buffered bytes, for a drop log line only (parsed lazily: see createDropLog). */
function parseEvent(bytes: Buffer): OneBotEvent | undefined {
  try {
    return JSON.parse(bytes.toString('utf8')) as OneBotEvent;
  } catch {
    return undefined;
  }
}

function sessionOptionsOf(config: WebsocketClientConfig): Partial<SessionOptions> {
  return {
    messagePostFormat: config.messagePostFormat,
    reportSelfMessage: config.reportSelfMessage,
    // A reverse connection is opened by us to receive events: push at once.
    enableForcePushEvent: true,
    heartInterval: config.heartInterval,
    maxBufferedBytes: config.maxBufferedBytes,
    debug: config.debug,
    token: config.token,
    filter: config.filter ?? null,
  };
}

/** One socket and what the adapter knows about it; callbacks of a socket that is not `current` do nothing. */
interface Connection {
  readonly ws: WebSocket;
  /** Set while the session serves the socket; cleared the moment the session is disposed. */
  session: OneBotSession | undefined;
  opened: boolean;
  /**
   * Events written to this socket that the server has not yet confirmed,
   * oldest first (at most bufferSize). A pong confirms every event written
   * before its ping; a close frame from the server confirms everything.
   */
  unconfirmed: BufferedEvent[];
  /** Events written so far; sent as the ping payload, so its pong says how many it confirms. */
  written: number;
  /** The `written` count of unconfirmed[0]. */
  firstUnconfirmed: number;
  /** Pending confirmation ping (see CONFIRM_AFTER_MS). */
  confirmTimer: NodeJS.Timeout | undefined;
  /** The bytes of the event the session is being handed, until it writes them. */
  delivering: Buffer | undefined;
}

/** ws's close code when no close frame arrived (peer gone, terminated, timed out). */
const ABNORMAL_CLOSURE = 1006;

/** Policy violation: what a bot framework closes with when it refuses a client, most often its token. */
const POLICY_VIOLATION = 1008;

/**
 * How soon after a write a ping asks the server to confirm it. Only events
 * written within this window (plus a round trip) can arrive twice when a
 * connection dies without a closing handshake; without the early ping the
 * window would be a whole heartInterval.
 */
const CONFIRM_AFTER_MS = 250;

export interface WsClientAdapterOptions {
  /** Folder that a relative `tls.ca` path starts from: the config file's. Default: the working directory. */
  baseDir?: string;
}

/**
 * Reverse WebSocket (protocol.md section 7, "WebSocket client"): one
 * universal connection to `url`, served by core's OneBot session exactly like
 * a forward universal connection. Reconnects for ever with one timer; a
 * callback of a socket that is no longer the current one does nothing. While
 * disconnected (from the moment the session is disposed), events go to a
 * bounded buffer that is flushed, in order, right after the next lifecycle
 * `connect`; events written to a socket that then died without a closing
 * handshake, and that its server never confirmed, go back to that buffer.
 */
export function createWsClientAdapter(
  partialConfig: Partial<WsClientOptions>,
  context: AdapterContext,
  options: WsClientAdapterOptions = {},
): Adapter<WebsocketClientConfig> {
  let config: WsClientOptions = resolveWsClientConfig(partialConfig);
  const baseDir = options.baseDir ?? process.cwd();
  /** `tls.ca` plus the system CAs, read at start, reload and reloadTls(); undefined without `tls`. */
  let trustedCa: string[] | undefined;
  const name = config.name;
  const logger = context.logger;
  const counters = createAdapterCounters();
  const drops = createDropLog<WsClientDropReason>(logger);
  const buffer = createEventBuffer(
    { maxEvents: config.bufferSize, maxAgeMs: config.bufferMaxAge },
    (reason, _count, dropped) => {
      for (const item of dropped) {
        drops.record(
          reason,
          reason === 'too_old'
            ? `held longer than bufferMaxAge (${config.bufferMaxAge} ms) while disconnected`
            : config.bufferSize === 0
              ? 'no disconnect buffer is configured (bufferSize 0): the event was dropped while disconnected'
              : `the disconnect buffer is full (bufferSize ${config.bufferSize}); the oldest event made room`,
          () => parseEvent(item.bytes),
        );
      }
    },
  );

  let state: AdapterState = 'idle';
  /** The socket being opened or served; replaced for every attempt and cleared on close and stop. */
  let current: Connection | undefined;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let unsubscribeBuffer: (() => void) | undefined;
  let attempts = 0;
  let connects = 0;
  let failuresInARow = 0;
  let lastFailure = '';
  /**
   * Connections in a row the server accepted and then closed with 1008. The
   * first is a warning with a hint; the repeats (and their `connected` lines)
   * go to debug until a connection proves accepted (a frame or pong from the
   * server) or ends another way.
   */
  let refusalsInARow = 0;
  /** Why the current attempt failed, kept until its 'close' reports it. */
  let lastAttemptError: string | undefined;
  let firstAttemptDone: (() => void) | undefined;
  let stopping: Promise<void> | undefined;
  let starting: Promise<void> | undefined;

  /** config.url with http(s) mapped to ws(s); set by start() and reload(). */
  let dialUrl = '';
  const loggedUrl = (): string => redactSecrets(redactUrl(config.url), config.token);

  /** `durable: true`: events come from a JetStream durable consumer (durable-relay.ts), set at start. */
  let relay: DurableRelay | undefined;

  function subscribeEvents(subscription: EventSubscription, listener: EventListener): () => void {
    return relay ? relay.subscribe(listener) : context.subscribe(subscription, listener);
  }

  function startBuffering(): void {
    if (unsubscribeBuffer !== undefined) return;
    unsubscribeBuffer = subscribeEvents(
      {
        format: config.messagePostFormat,
        reportSelfMessage: config.reportSelfMessage,
        filter: () => config.filter,
      },
      (delivered) => buffer.push(delivered.buffer),
    );
  }

  function stopBuffering(): void {
    unsubscribeBuffer?.();
    unsubscribeBuffer = undefined;
  }

  function settleFirstAttempt(): void {
    const done = firstAttemptDone;
    firstAttemptDone = undefined;
    done?.();
  }

  function scheduleReconnect(): void {
    if (state !== 'running') return;
    if (reconnectTimer !== undefined) clearTimeout(reconnectTimer);
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      connect();
    }, reconnectDelay(config.reconnectInterval));
  }

  function noteFailure(detail: string): void {
    failuresInARow += 1;
    counters.recordError(new Error(detail));
    // One warn per kind of failure; repeats of the same failure every reconnectInterval go to debug.
    if (failuresInARow === 1 || detail !== lastFailure) {
      logger.warn(
        { url: loggedUrl(), attempt: attempts },
        `could not connect to ${loggedUrl()}: ${detail}; retrying every ${config.reconnectInterval} ms`,
      );
    } else {
      logger.debug(
        { url: loggedUrl(), attempt: attempts, failuresInARow },
        `still cannot connect: ${detail}`,
      );
    }
    lastFailure = detail;
  }

  /** Remember an event written to `conn` until its server confirms it; a ping asks for that soon. */
  function track(conn: Connection, item: BufferedEvent): void {
    conn.written += 1;
    conn.unconfirmed.push(item);
    if (conn.unconfirmed.length > config.bufferSize) {
      // Only the newest bufferSize could go back to the buffer anyway.
      conn.unconfirmed.shift();
      conn.firstUnconfirmed += 1;
    }
    conn.confirmTimer ??= setTimeout(() => {
      conn.confirmTimer = undefined;
      pingFor(conn);
    }, CONFIRM_AFTER_MS).unref();
  }

  function confirm(conn: Connection, upTo: number): void {
    const count = Math.min(upTo - conn.firstUnconfirmed, conn.unconfirmed.length);
    if (count <= 0) return;
    const confirmed = conn.unconfirmed.splice(0, count);
    if (relay) for (const item of confirmed) relay.confirmed(item.bytes);
    conn.firstUnconfirmed += count;
  }

  /** Ping carrying the number of events written so far: the pong confirms them. */
  function pingFor(conn: Connection): void {
    if (conn.ws.readyState === WebSocket.OPEN) conn.ws.ping(String(conn.written));
  }

  /**
   * The socket died without a closing handshake: what its server did not
   * confirm may never have arrived. Back to the front of the buffer, older
   * than anything buffered since (at least once rather than maybe never).
   */
  function requeueUnconfirmed(conn: Connection): void {
    const lost = conn.unconfirmed;
    conn.unconfirmed = [];
    if (lost.length === 0) return;
    counters.eventsSent -= lost.length;
    if (state !== 'running') {
      // Stopping, or a reload that raced a stop: nothing will send these again, so they count as dropped.
      for (const item of lost) {
        drops.record('stopped', 'the adapter stopped before the server confirmed the event', () =>
          parseEvent(item.bytes),
        );
      }
      drops.flush();
      return;
    }
    buffer.requeue(lost);
    logger.info(
      { events: lost.length },
      `${lost.length} events written just before the connection was lost were not confirmed by the server; they will be sent again`,
    );
  }

  /**
   * The session writes events as the bus's shared Buffer and everything else
   * (answers, meta events) as strings. An event written while the socket is
   * already closing would be lost: it goes to the disconnect buffer instead.
   */
  function sessionSocketFor(conn: Connection): SessionSocket {
    const ws = conn.ws;
    const base = fromWebSocket(ws);
    return {
      send(data) {
        if (data === conn.delivering) conn.delivering = undefined;
        if (ws.readyState === WebSocket.OPEN) {
          base.send(data);
          if (Buffer.isBuffer(data)) track(conn, { bytes: data, at: Date.now() });
          return;
        }
        if (Buffer.isBuffer(data)) {
          buffer.push(data);
          // The session counts the write as sent; it is not (yet).
          counters.eventsSent -= 1;
        }
      },
      close: (code, reason) => base.close(code, reason),
      terminate: () => base.terminate(),
      ping: () => pingFor(conn),
      get bufferedAmount() {
        return ws.bufferedAmount;
      },
      cork: () => base.cork?.(),
      uncork: () => base.uncork?.(),
    };
  }

  /**
   * The session is gone, whoever ended it: the adapter on close or stop, or
   * the session itself (slow consumer 1013, missed pings, failed write),
   * possibly long before ws reports the close. From this tick on, events go
   * to the buffer and the connection no longer counts.
   */
  function onSessionDisposed(conn: Connection): void {
    if (conn !== current) return;
    conn.session = undefined;
    startBuffering();
  }

  /**
   * The context the session sees. Its bus listener is wrapped: an event whose
   * own delivery ends the session (the slow-consumer cut, a failed write) is
   * not written, and the buffer, subscribed during that delivery, only gets
   * the next event; so that one event goes to the buffer here.
   */
  function sessionContextFor(conn: Connection): AdapterContext {
    return {
      logger: context.logger,
      selfId: () => context.selfId(),
      callAction: (request) => context.callAction(request),
      backendStatus: () => context.backendStatus(),
      subscribe: (subscription, listener) =>
        subscribeEvents(subscription, (delivered) => {
          const live = conn.session !== undefined;
          conn.delivering = delivered.buffer;
          try {
            listener(delivered);
          } finally {
            const unwritten = conn.delivering !== undefined;
            conn.delivering = undefined;
            if (live && unwritten && conn.session === undefined && conn === current)
              buffer.push(delivered.buffer);
          }
        }),
    };
  }

  /** After refusals, the first frame or pong from the server shows it kept this connection. */
  function noteAccepted(conn: Connection): void {
    if (refusalsInARow === 0 || conn !== current) return;
    logger.info(
      { url: loggedUrl(), refusals: refusalsInARow },
      `connected to ${loggedUrl()}: the server accepts this client after ${refusalsInARow} refusals (1008)`,
    );
    refusalsInARow = 0;
  }

  function noteRefusal(why: string): void {
    refusalsInARow += 1;
    const detail = `${loggedUrl()} accepted the connection, then closed it with 1008 (policy violation${why})`;
    counters.recordError(new Error(detail));
    if (refusalsInARow === 1) {
      logger.warn(
        { url: loggedUrl(), code: POLICY_VIOLATION },
        `${detail}: the server refuses this client, most likely its token; check "token" (it must match the ` +
          `server's access token). Retrying every ${config.reconnectInterval} ms; repeats are logged at debug`,
      );
    } else {
      logger.debug({ url: loggedUrl(), code: POLICY_VIOLATION, refusalsInARow }, `refused again: ${detail}`);
    }
  }

  function onOpen(conn: Connection): void {
    if (conn !== current) return;
    conn.opened = true;
    connects += 1;
    if (refusalsInARow > 0)
      logger.debug(
        { url: loggedUrl(), refusalsInARow },
        `connected to ${loggedUrl()} (after a 1008 refusal)`,
      );
    else if (failuresInARow > 0)
      logger.info(
        { failedAttempts: failuresInARow },
        `connected to ${loggedUrl()} after ${failuresInARow} failed attempts`,
      );
    else logger.info({ url: loggedUrl() }, `connected to ${loggedUrl()}`);
    failuresInARow = 0;
    lastFailure = '';
    // Creating the session sends lifecycle `connect` and subscribes it to the bus.
    const created = createOneBotSession({
      socket: sessionSocketFor(conn),
      role: 'universal',
      context: sessionContextFor(conn),
      options: sessionOptionsOf(config),
      logger,
      counters,
      onDispose: () => onSessionDisposed(conn),
    });
    // Cut while sending lifecycle connect: the buffer keeps everything for the next connection.
    if (created.isDisposed()) {
      settleFirstAttempt();
      return;
    }
    conn.session = created;
    // Same tick: every event published before now is in the buffer, every later one reaches the session.
    stopBuffering();
    const pending = buffer.drain();
    const kept: BufferedEvent[] = [];
    let delivered = 0;
    for (const item of pending) {
      // The socket may be closing already: keep the rest for the next connection.
      if (conn.ws.readyState === WebSocket.OPEN) {
        conn.ws.send(item.bytes, { binary: false });
        track(conn, item);
        delivered += 1;
      } else kept.push(item);
    }
    // With their original time: their age limit keeps running.
    buffer.requeue(kept);
    counters.eventsSent += delivered;
    if (delivered > 0) {
      // A server that accepts and drops the socket at once must not swallow the flushed events: its pong confirms them.
      pingFor(conn);
      logger.info({ events: delivered }, `delivered ${delivered} events held while disconnected`);
    }
    settleFirstAttempt();
  }

  function onClose(conn: Connection, code: number, reason: Buffer): void {
    if (conn !== current) return;
    conn.session?.dispose();
    conn.session = undefined;
    current = undefined;
    startBuffering();
    // A close frame from the server means it read every frame sent before ours (RFC 6455 section 5.5.1).
    if (code === ABNORMAL_CLOSURE) requeueUnconfirmed(conn);
    if (conn.opened && code === POLICY_VIOLATION) {
      noteRefusal(reason.length > 0 ? `: ${redactSecrets(reason.toString('utf8'), config.token)}` : '');
    } else if (conn.opened) {
      refusalsInARow = 0;
      const why = reason.length > 0 ? `: ${reason.toString('utf8')}` : '';
      logger.warn(
        { code, url: loggedUrl() },
        `disconnected from ${loggedUrl()} (code ${code}${why}); reconnecting in about ${config.reconnectInterval} ms`,
      );
    } else {
      noteFailure(lastAttemptError ?? `connection closed before the handshake finished (code ${code})`);
    }
    lastAttemptError = undefined;
    settleFirstAttempt();
    scheduleReconnect();
  }

  function onUnexpectedResponse(conn: Connection, response: IncomingMessage): void {
    if (conn === current) {
      const hint = response.statusCode === 401 || response.statusCode === 403 ? ' (check "token")' : '';
      lastAttemptError = `the server answered HTTP ${response.statusCode ?? '?'} instead of upgrading${hint}`;
    }
    response.resume();
    // Aborts the handshake; ws then emits 'error' and 'close', and the close schedules the retry.
    conn.ws.terminate();
  }

  function connect(): void {
    if (state !== 'running') return;
    attempts += 1;
    const headers: Record<string, string> = {
      'X-Self-ID': String(context.selfId()),
      'X-Client-Role': 'Universal',
      'User-Agent': WS_CLIENT_USER_AGENT,
    };
    if (config.token !== '') headers.Authorization = `Bearer ${config.token}`;
    if (config.debug) logger.info({ url: loggedUrl(), attempt: attempts }, 'connecting');
    let ws: WebSocket;
    try {
      ws = new WebSocket(dialUrl, {
        headers,
        perMessageDeflate: false,
        maxPayload: config.maxPayload,
        handshakeTimeout: config.handshakeTimeout,
        rejectUnauthorized: config.verifyCertificate,
        ...(trustedCa === undefined ? {} : { ca: trustedCa }),
      });
    } catch (error) {
      noteFailure(error instanceof Error ? error.message : String(error));
      settleFirstAttempt();
      scheduleReconnect();
      return;
    }
    const conn: Connection = {
      ws,
      session: undefined,
      opened: false,
      unconfirmed: [],
      written: 0,
      firstUnconfirmed: 0,
      confirmTimer: undefined,
      delivering: undefined,
    };
    current = conn;
    ws.on('open', () => onOpen(conn));
    ws.on('message', (data, isBinary) => {
      if (conn !== current) return;
      noteAccepted(conn);
      conn.session?.handleFrame(data, isBinary);
    });
    ws.on('pong', (data) => {
      if (conn !== current) return;
      noteAccepted(conn);
      const upTo = Number(data.toString('utf8'));
      if (Number.isSafeInteger(upTo)) confirm(conn, upTo);
      conn.session?.handlePong();
    });
    ws.on('unexpected-response', (_request, response) => onUnexpectedResponse(conn, response));
    // Always listened to: an 'error' without a listener would crash the process.
    ws.on('error', (error) => {
      if (conn !== current) return;
      const code = (error as { code?: string }).code;
      const detail =
        code !== undefined && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
      // The first error of an attempt says why (an HTTP 401 is followed by a generic abort error).
      lastAttemptError ??= detail;
      if (conn.session !== undefined) logger.warn({ url: loggedUrl() }, `WebSocket error: ${detail}`);
    });
    ws.on('close', (code, reason) => {
      // Nothing is emitted after 'close': drop every listener and timer so a closed socket holds nothing of ours.
      ws.removeAllListeners();
      clearTimeout(conn.confirmTimer);
      onClose(conn, code, reason);
    });
  }

  /** Resolves with the close code once `ws` is closed (at most CLOSE_TIMEOUT_MS after asking, then terminated). */
  function waitForClose(ws: WebSocket, code: number, reason: string): Promise<number> {
    if (ws.readyState === WebSocket.CLOSED) return Promise.resolve(ABNORMAL_CLOSURE);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        ws.terminate();
      }, CLOSE_TIMEOUT_MS);
      ws.once('close', (closeCode: number) => {
        clearTimeout(timer);
        resolve(closeCode);
      });
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      else ws.close(code, reason);
    });
  }

  /** Close the current socket (if any) for good: callbacks silenced first, resolves once it is closed. */
  async function closeCurrent(code: number, reason: string): Promise<void> {
    if (reconnectTimer !== undefined) clearTimeout(reconnectTimer);
    reconnectTimer = undefined;
    const conn = current;
    current = undefined;
    conn?.session?.dispose();
    if (conn !== undefined) conn.session = undefined;
    // Same tick as the dispose: events published while the socket closes are buffered, not lost.
    startBuffering();
    if (conn === undefined) return;
    const closedWith = await waitForClose(conn.ws, code, reason);
    if (closedWith === ABNORMAL_CLOSURE) requeueUnconfirmed(conn);
  }

  async function doStart(): Promise<void> {
    state = 'starting';
    // A missing or non-PEM CA file fails the start with a reason naming it. Without `tls` nothing
    // is awaited: events published right after start() must reach the buffer, as before.
    trustedCa = config.tls === undefined ? undefined : await loadTrustedCa(config, baseDir);
    dialUrl = targetUrl(config);
    if (config.durable) relay = await startDurableRelay(config, context);
    state = 'running';
    startBuffering();
    const first = new Promise<void>((resolve) => {
      firstAttemptDone = resolve;
    });
    connect();
    await first;
  }

  async function doStop(): Promise<void> {
    state = 'stopping';
    settleFirstAttempt();
    await closeCurrent(1001, 'gateway stopping');
    stopBuffering();
    // Unconfirmed events stay unacknowledged: the next process gets them again.
    await relay?.stop();
    relay = undefined;
    const left = buffer.clear();
    for (let i = 0; i < left; i += 1)
      drops.record('stopped', 'the adapter stopped while the event waited for a connection', undefined);
    drops.flush();
    state = 'stopped';
    logger.info({ url: loggedUrl() }, 'stopped');
  }

  /** Re-read `tls.ca` for the next connection; the open one stays. Rejects, keeping the old list, on a bad file. */
  async function reloadTls(): Promise<void> {
    if (state !== 'running') return;
    try {
      trustedCa = await loadTrustedCa(config, baseDir);
    } catch (error) {
      counters.recordError(error);
      throw error;
    }
  }

  async function reload(next: WebsocketClientConfig): Promise<void> {
    const previous = config;
    config = { ...resolveWsClientConfig(next), name };
    buffer.setLimits({ maxEvents: config.bufferSize, maxAgeMs: config.bufferMaxAge });
    if (state !== 'running') return;
    // Only awaited with a `tls` block, so a reload without one keeps its old timing exactly.
    if (config.tls !== undefined || previous.tls !== undefined) {
      await reloadTls().catch((error: unknown) =>
        logger.error({}, `${(error as Error).message}; the CA list in use stays`),
      );
    }
    const reconnectNeeded =
      ['url', 'token', 'verifyCertificate', 'maxPayload'].some((key) => previous[key] !== config[key]) ||
      JSON.stringify(previous.tls) !== JSON.stringify(config.tls);
    if (reconnectNeeded) {
      dialUrl = targetUrl(config);
      await closeCurrent(1000, 'reconfigured');
      // Another reload, or a stop and start, may have connected while this one waited.
      if (state === 'running' && current === undefined && reconnectTimer === undefined) connect();
      return;
    }
    current?.session?.update(sessionOptionsOf(config));
    if (
      unsubscribeBuffer !== undefined &&
      (previous.messagePostFormat !== config.messagePostFormat ||
        previous.reportSelfMessage !== config.reportSelfMessage)
    ) {
      stopBuffering();
      startBuffering();
    }
    logger.info({ url: loggedUrl() }, 'configuration reloaded');
  }

  return {
    name,
    kind: 'websocketClients',
    start() {
      if (state === 'running') return Promise.resolve();
      if (stopping !== undefined) return stopping.then(() => this.start());
      starting ??= doStart()
        .catch((error: unknown) => {
          state = 'failed';
          counters.recordError(error);
          throw error;
        })
        .finally(() => {
          starting = undefined;
        });
      return starting;
    },
    async stop() {
      if (state !== 'running' && state !== 'starting' && stopping === undefined) return;
      stopping ??= doStop().finally(() => {
        stopping = undefined;
      });
      await stopping;
      await starting?.catch(() => undefined);
    },
    reload,
    reloadTls,
    status(): AdapterStatus {
      return {
        state,
        url: loggedUrl(),
        connections: current?.session === undefined ? 0 : 1,
        eventsSent: counters.eventsSent,
        actionsHandled: counters.actionsHandled,
        errors: counters.errors,
        lastError:
          counters.lastError === undefined ? undefined : redactSecrets(counters.lastError, config.token),
        connectionAttempts: attempts,
        connects,
        buffered: buffer.size,
        dropped: drops.total,
        droppedByReason: drops.byReason(),
      };
    },
  };
}
