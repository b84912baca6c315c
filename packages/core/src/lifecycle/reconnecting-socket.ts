import { createConnectionIds, createReconnectTimer, createTimerScope, type TimerScope } from './timers.js';

/** `readyState` values of a WebSocket (the WHATWG numbers `ws` uses too). */
const CONNECTING = 0;
const CLOSED = 3;

/** What a socket reports when it closed without a close frame (peer gone, terminated, timed out). */
export const ABNORMAL_CLOSURE = 1006;

/**
 * The structural subset of a client WebSocket (`ws`'s) the helper drives.
 * Core has no dependency on `ws`: the adapter passes a factory that makes one.
 */
export interface DialledSocketLike {
  readonly readyState: number;
  on(event: string, listener: (...args: never[]) => void): unknown;
  once(event: string, listener: (...args: never[]) => void): unknown;
  removeAllListeners(): unknown;
  close(code?: number, reason?: string): void;
  terminate(): void;
}

/** One connection attempt, as its handlers see it. */
export interface DialledSocket<S extends DialledSocketLike> {
  readonly socket: S;
  /** The connection's id (see createConnectionIds). */
  readonly id: number;
  /** The 1-based attempt number, counted since the helper was made. */
  readonly attempt: number;
  /** True when the reconnect timer made this attempt (false for the first one after `connect`). */
  readonly retry: boolean;
  /** False once the socket closed or was replaced: a callback of such a socket must do nothing. */
  isCurrent(): boolean;
  /** Timers of this connection (a ping, a confirmation): cleared the moment its socket closes. */
  readonly timers: TimerScope;
}

/**
 * What happens on one connection. Every handler runs only while its socket is
 * the current one, so a late event of a replaced socket never reaches the
 * adapter. The helper listens to 'error' itself, so an error never crashes the
 * process, and to 'close', after which it drops every listener of the socket.
 */
export interface ConnectionHandlers<S> {
  open?(): void;
  message?(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void;
  pong?(data: Buffer): void;
  error?(error: Error): void;
  /**
   * The server answered the upgrade with an HTTP response. Only listened to
   * when given (without it `ws` fails the attempt with its own error); the
   * helper drains the response and terminates the socket after the handler.
   */
  unexpectedResponse?(response: { statusCode?: number; resume(): unknown }): void;
  /** The socket closed while current; the next attempt is scheduled right after this returns. */
  close?(code: number, reason: Buffer): void;
  /** Marks `S` as used: handlers may close over the socket they were made for. */
  readonly socket?: S;
}

export interface ReconnectingSocketOptions<S extends DialledSocketLike> {
  /** Make the socket of one attempt; throwing counts as a failed attempt (see `dialFailed`). */
  dial(attempt: number): S;
  /** Handlers of a new socket, made right after `dial`; the adapter keeps its per-connection state here. */
  connection(dialled: DialledSocket<S>): ConnectionHandlers<S>;
  /** `dial` threw: the next attempt is scheduled right after this returns. */
  dialFailed?(error: unknown, attempt: number): void;
  /** Read for every retry, so a reload applies to the next one. */
  reconnectInterval(): number;
  /** How long `close`/`stop` wait for the closing handshake before terminating the socket. */
  closeTimeoutMs: number;
}

export interface ReconnectingSocket<S extends DialledSocketLike> {
  /** Keep a connection from now on: dials at once unless a socket is current or a retry is pending. */
  connect(): void;
  /**
   * Close the current socket for good (it stops being current at once) and
   * cancel a pending retry; keeps reconnecting only if `connect` is called
   * again. Resolves with the socket's close code once it is closed: at most
   * `closeTimeoutMs` after asking, then it is terminated (1006); undefined
   * when there was no socket.
   */
  close(code: number, reason: string): Promise<number | undefined>;
  /** Stop reconnecting and close the current socket as `close` does. */
  stop(code: number, reason: string): Promise<number | undefined>;
  /** The current connection (dialling or open); undefined while waiting or stopped. */
  readonly current: DialledSocket<S> | undefined;
  /** Epoch milliseconds of the pending retry; undefined when none is. */
  readonly nextAttemptAt: number | undefined;
  /** Attempts made so far. */
  readonly attempts: number;
}

/**
 * One reconnecting client WebSocket: one connection at a time, a retry after
 * every close or failed dial (with jitter, see reconnectDelay), callbacks of
 * a replaced socket silenced by its connection id, and a graceful close that
 * terminates a peer that never answers. ws-client and backend-upstream are
 * built on it; what they do on the wire stays in their handlers.
 */
export function createReconnectingSocket<S extends DialledSocketLike>(
  options: ReconnectingSocketOptions<S>,
): ReconnectingSocket<S> {
  const ids = createConnectionIds();
  // Ref'd: while it waits, the retry is all a client-only process has to stay alive for.
  const retryTimer = createReconnectTimer(() => dial(true), { unref: false });
  let active = false;
  let attempts = 0;
  let current: (DialledSocket<S> & { closed: Promise<number> }) | undefined;

  function scheduleRetry(): void {
    if (active) retryTimer.schedule(options.reconnectInterval());
  }

  function dial(retry: boolean): void {
    if (!active || current !== undefined) return;
    attempts += 1;
    const attempt = attempts;
    let socket: S;
    try {
      socket = options.dial(attempt);
    } catch (error) {
      options.dialFailed?.(error, attempt);
      scheduleRetry();
      return;
    }
    const id = ids.next();
    const isCurrent = (): boolean => ids.isCurrent(id);
    let markClosed: (code: number) => void = () => undefined;
    const closed = new Promise<number>((resolve) => (markClosed = resolve));
    const dialled = { socket, id, attempt, retry, isCurrent, timers: createTimerScope(), closed };
    current = dialled;
    const handlers = options.connection(dialled);
    // Each listener checks the id: a socket already replaced or closed by the adapter stays silent.
    const on = (event: string, listener: (...args: never[]) => void): void => {
      socket.on(event, (...args: never[]) => {
        if (isCurrent()) listener(...args);
      });
    };
    if (handlers.open) on('open', handlers.open);
    if (handlers.message) on('message', handlers.message);
    if (handlers.pong) on('pong', handlers.pong);
    // Always listened to: an 'error' without a listener would crash the process.
    socket.on('error', (error: Error) => {
      if (isCurrent()) handlers.error?.(error);
    });
    const unexpected = handlers.unexpectedResponse;
    if (unexpected) {
      socket.on('unexpected-response', (_request: unknown, response: { resume(): unknown }) => {
        if (isCurrent()) unexpected(response);
        response.resume();
        // Aborts the handshake; the socket then emits 'error' and 'close', and the close schedules the retry.
        socket.terminate();
      });
    }
    socket.on('close', (code: number, reason: Buffer) => {
      // Nothing is emitted after 'close': a closed socket keeps no listener and no timer of ours.
      socket.removeAllListeners();
      dialled.timers.clearAll();
      markClosed(code);
      if (!isCurrent()) return;
      ids.invalidate();
      current = undefined;
      handlers.close?.(code, reason);
      scheduleRetry();
    });
  }

  async function close(code: number, reason: string): Promise<number | undefined> {
    retryTimer.cancel();
    const closing = current;
    current = undefined;
    ids.invalidate();
    if (closing === undefined) return undefined;
    const { socket } = closing;
    if (socket.readyState === CLOSED) return ABNORMAL_CLOSURE;
    const forced = setTimeout(() => socket.terminate(), options.closeTimeoutMs);
    if (socket.readyState === CONNECTING) socket.terminate();
    else socket.close(code, reason);
    const closedWith = await closing.closed;
    clearTimeout(forced);
    return closedWith;
  }

  return {
    connect() {
      active = true;
      if (retryTimer.nextAttemptAt === undefined) dial(false);
    },
    close,
    stop(code, reason) {
      active = false;
      return close(code, reason);
    },
    get current() {
      return current;
    },
    get nextAttemptAt() {
      return retryTimer.nextAttemptAt;
    },
    get attempts() {
      return attempts;
    },
  };
}
