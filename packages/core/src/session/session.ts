import type { AdapterContext, AdapterCounters } from '../adapter.js';
import { redactDebugText } from '../auth.js';
import type { DeliveredEvent } from '../bus/event-bus.js';
import { createLifecycleEvent, heartbeatFromBackend, warnHeartbeatProblemOnce } from '../bus/meta-events.js';
import { passesFilterQuery, type EventFilterQuery } from '../filter/event-filter.js';
import type { Logger } from '../logger.js';
import { parseActionText } from '../router/parse-request.js';
import { failedResponse, withEcho } from '../router/responses.js';
import type { ActionRequest, ActionResponse } from '../types/actions.js';
import type { OneBotEvent } from '../types/events.js';
import type { MessageFormat } from '../types/segments.js';
import { sharedTextFrame } from './frame.js';
import type { SessionSocket } from './socket.js';

/** `/api` answers actions only, `/event` pushes events only, anything else does both. */
export type SessionRole = 'universal' | 'api' | 'event';

/** Per-connection settings; every one of them can change while the connection stays open. */
export interface SessionOptions {
  messagePostFormat: MessageFormat;
  reportSelfMessage: boolean;
  /** false: a universal connection gets events only after its first frame. */
  enableForcePushEvent: boolean;
  /** Heartbeat meta event interval in ms (0 = none); also the ping interval (30 s when 0). */
  heartInterval: number;
  /** Unsent bytes after which the connection is closed with 1013. */
  maxBufferedBytes: number;
  /** Actions running at once on this connection; more are answered 1429 at once. */
  maxPendingActions: number;
  /** Events held for a universal connection that is not ready yet (enableForcePushEvent false). */
  maxHeldEvents: number;
  /** Log every frame at info level (token redacted). */
  debug: boolean;
  /** Only used to redact debug logs; authentication happens before a session exists. */
  token: string;
  /** The adapter's `filter` (null: none); read per event, so an update applies without resubscribing. */
  filter: EventFilterQuery | null;
}

export const defaultSessionOptions: Readonly<SessionOptions> = Object.freeze({
  messagePostFormat: 'array',
  reportSelfMessage: false,
  enableForcePushEvent: true,
  heartInterval: 30_000,
  maxBufferedBytes: 16 * 1024 * 1024,
  maxPendingActions: 1000,
  maxHeldEvents: 100,
  debug: false,
  token: '',
  filter: null,
});

/** Interval of protocol-level pings when heartInterval is 0 (off). */
export const DEFAULT_PING_INTERVAL_MS = 30_000;

/** WebSocket close codes the session uses. */
export const SessionCloseCode = {
  GOING_AWAY: 1001,
  TRY_AGAIN_LATER: 1013,
} as const;

export interface SessionInit {
  socket: SessionSocket;
  role: SessionRole;
  context: AdapterContext;
  options?: Partial<SessionOptions>;
  /** Defaults to `context.logger`. */
  logger?: Logger;
  /** Shared adapter counters; the session adds its deliveries, answers and errors. */
  counters?: AdapterCounters;
  /** Called once when the session is disposed (socket closed, stopped, cut). */
  onDispose?: (session: OneBotSession) => void;
}

export type IncomingFrame = string | Buffer | ArrayBuffer | Buffer[];

export interface OneBotSession {
  readonly role: SessionRole;
  /** Feed one received frame (the transport's message event). */
  handleFrame(data: IncomingFrame, isBinary: boolean): void;
  /** Feed a received pong. */
  handlePong(): void;
  /** Apply changed options in place (reload): resubscribes and restarts timers only when needed. */
  update(options: Partial<SessionOptions>): void;
  options(): Readonly<SessionOptions>;
  /** Close the socket with a code and dispose. Idempotent. */
  close(code: number, reason: string): void;
  /** The socket is gone (or going): clear every timer and the subscription. Idempotent. */
  dispose(): void;
  isDisposed(): boolean;
  /** True once events flow to this connection (always false on an api connection). */
  isReady(): boolean;
  pendingActions(): number;
}

function frameToText(data: IncomingFrame): string {
  if (typeof data === 'string') return data;
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

/** `base` overlaid with the keys of `changes` that are not undefined (a partial config may carry undefined). */
function withDefinedValues(base: SessionOptions, changes: Partial<SessionOptions> = {}): SessionOptions {
  const merged: SessionOptions = { ...base };
  for (const [key, value] of Object.entries(changes)) {
    if (value !== undefined) (merged as unknown as Record<string, unknown>)[key] = value;
  }
  return merged;
}

function frameSize(text: string): number {
  // String length is a lower bound of its UTF-8 size: cheap and good enough for a limit.
  return text.length;
}

/**
 * One OneBot WebSocket connection, whatever carries it (forward server,
 * http-server upgrade, reverse client). Starts at once: sends lifecycle
 * `connect` and subscribes to events unless the role is `api`.
 */
export function createOneBotSession(init: SessionInit): OneBotSession {
  const { socket, role, context } = init;
  const logger = init.logger ?? context.logger;
  const counters = init.counters;
  let options: SessionOptions = withDefinedValues(defaultSessionOptions, init.options);

  let disposed = false;
  let closing = false;
  let corked = false;
  /**
   * Unsent bytes left over from earlier ticks, read once when a burst starts:
   * while corked nothing leaves, so it cannot change until the uncork.
   */
  let backlogAtCork = 0;
  // One warning per connection when the backend's status cannot be sent.
  const warnHeartbeatOnce = warnHeartbeatProblemOnce(logger, { role });
  let ready = role === 'event' || (role === 'universal' && options.enableForcePushEvent);
  let held: DeliveredEvent[] = [];
  let droppedHeld = 0;
  let unsubscribe: (() => void) | undefined;
  let heartbeatTimer: NodeJS.Timeout | undefined;
  let pingTimer: NodeJS.Timeout | undefined;
  let unansweredPings = 0;
  let inFlight = 0;
  /** One warning per connection when its heartbeats cannot carry the backend status. */

  const receivesEvents = role !== 'api';

  function logFrame(direction: 'in' | 'out', text: string): void {
    const shown = redactDebugText(text, options.token, '[redacted]');
    logger.info(
      { direction, role, frame: shown },
      direction === 'in' ? 'ws frame received' : 'ws frame sent',
    );
  }

  function uncork(): void {
    corked = false;
    socket.uncork?.();
  }

  /** Write one text frame; false when the connection is closing or was just cut for being slow. */
  /**
   * Write one text frame: a string (answers, meta events) or an event. An
   * event goes out as the frame shared by every connection when the socket
   * takes pre-framed bytes, so its payload Buffer is never made for it.
   */
  function write(data: string | DeliveredEvent): boolean {
    if (closing || disposed) return false;
    // Only data left over from earlier ticks counts: the current burst is still corked
    // on purpose (and its event buffers are shared with every other connection).
    if (!corked && socket.cork) {
      backlogAtCork = socket.bufferedAmount;
      corked = true;
      socket.cork();
      process.nextTick(uncork);
    }
    const backlog = corked ? backlogAtCork : socket.bufferedAmount;
    // An empty backlog always takes one frame, so a single big answer never counts as slowness.
    if (
      backlog > 0 &&
      backlog + frameSize(typeof data === 'string' ? data : data.json) > options.maxBufferedBytes
    ) {
      cutSlowConsumer(backlog);
      return false;
    }
    try {
      if (typeof data === 'string') socket.send(data);
      else if (!socket.sendFrame?.(sharedTextFrame(data))) socket.send(data.buffer);
    } catch (error) {
      logger.warn({ err: error, role }, 'could not write to the WebSocket; closing it');
      close(1011, 'write failed');
      return false;
    }
    return true;
  }

  function cutSlowConsumer(buffered: number): void {
    const message = `slow consumer: ${buffered} bytes unsent (limit ${options.maxBufferedBytes}); connection closed with 1013`;
    logger.warn({ role, bufferedBytes: buffered, maxBufferedBytes: options.maxBufferedBytes }, message);
    if (counters) {
      counters.errors += 1;
      counters.lastError = message;
    }
    close(SessionCloseCode.TRY_AGAIN_LATER, 'slow consumer: too much unsent data');
  }

  function sendMeta(event: OneBotEvent): void {
    if (!passesFilterQuery(options.filter, event)) return;
    const text = JSON.stringify(event);
    if (write(text) && options.debug) logFrame('out', text);
  }

  function sendEvent(delivered: DeliveredEvent): void {
    if (!write(delivered)) return;
    if (counters) counters.eventsSent += 1;
    if (options.debug) logFrame('out', delivered.json);
  }

  function onEvent(delivered: DeliveredEvent): void {
    if (ready) {
      sendEvent(delivered);
      return;
    }
    held.push(delivered);
    if (held.length > options.maxHeldEvents) {
      held.shift();
      if (droppedHeld++ === 0) {
        logger.warn(
          { role, maxHeldEvents: options.maxHeldEvents },
          'connection has not sent its first frame yet; dropping its oldest held events',
        );
      }
    }
  }

  function becomeReady(): void {
    if (ready || !receivesEvents) return;
    ready = true;
    const pending = held;
    held = [];
    for (const delivered of pending) sendEvent(delivered);
  }

  function subscribe(): void {
    unsubscribe?.();
    unsubscribe = context.subscribe(
      {
        format: options.messagePostFormat,
        reportSelfMessage: options.reportSelfMessage,
        filter: () => options.filter,
      },
      onEvent,
    );
  }

  function sendHeartbeat(): void {
    // A connection that may not receive events yet gets no heartbeat either: it would be stale when released.
    if (!ready) return;
    // Built and serialised without throwing: this runs in a timer, where a throw would end the process.
    const heartbeat = heartbeatFromBackend(
      () => context.selfId(),
      options.heartInterval,
      () => context.backendStatus(),
      warnHeartbeatOnce,
    );
    if (!passesFilterQuery(options.filter, heartbeat)) return;
    const text = JSON.stringify(heartbeat);
    if (write(text) && options.debug) logFrame('out', text);
  }

  function onPingTick(): void {
    if (unansweredPings >= 2) {
      logger.warn({ role }, 'peer did not answer two pings in a row; terminating the connection');
      try {
        socket.terminate();
      } finally {
        dispose();
      }
      return;
    }
    unansweredPings += 1;
    try {
      socket.ping();
    } catch (error) {
      logger.debug({ err: error, role }, 'ping failed');
    }
  }

  function startTimers(): void {
    stopTimers();
    if (receivesEvents && options.heartInterval > 0) {
      heartbeatTimer = setInterval(sendHeartbeat, options.heartInterval);
      heartbeatTimer.unref();
    }
    pingTimer = setInterval(
      onPingTick,
      options.heartInterval > 0 ? options.heartInterval : DEFAULT_PING_INTERVAL_MS,
    );
    pingTimer.unref();
  }

  function stopTimers(): void {
    if (heartbeatTimer) clearInterval(heartbeatTimer);
    if (pingTimer) clearInterval(pingTimer);
    heartbeatTimer = undefined;
    pingTimer = undefined;
  }

  function respond(response: ActionResponse): void {
    if (counters) counters.actionsHandled += 1;
    if (disposed || closing) return;
    let text: string;
    try {
      text = JSON.stringify(response);
    } catch (error) {
      logger.error({ err: error, role }, 'an action answer could not be serialised');
      const echo = { has: Object.hasOwn(response, 'echo'), value: response.echo };
      text = JSON.stringify(
        withEcho(
          failedResponse('INTERNAL', 'internal error: the answer could not be serialised to JSON'),
          echo,
        ),
      );
    }
    if (write(text) && options.debug) logFrame('out', text);
  }

  function runAction(request: unknown): void {
    if (inFlight >= options.maxPendingActions) {
      const echo =
        typeof request === 'object' && request !== null && Object.hasOwn(request, 'echo')
          ? { has: true, value: (request as { echo: unknown }).echo }
          : { has: false };
      respond(
        withEcho(
          failedResponse(
            1429,
            `too many actions in flight on this connection (limit ${options.maxPendingActions}); wait for answers before sending more`,
          ),
          echo,
        ),
      );
      return;
    }
    inFlight += 1;
    context
      .callAction(request as ActionRequest)
      .catch((error: unknown) => {
        // The router promises never to reject; if it does, the client still gets its one answer.
        logger.error({ err: error, role }, 'callAction rejected');
        return failedResponse('INTERNAL', 'internal error while running the action');
      })
      .then((response) => {
        inFlight -= 1;
        respond(response);
      });
  }

  function handleFrame(data: IncomingFrame, isBinary: boolean): void {
    if (disposed) return;
    unansweredPings = 0;
    if (options.debug) logFrame('in', isBinary ? `<binary frame>` : frameToText(data));
    if (role === 'universal') becomeReady();
    if (role === 'event') return; // Event connections are push-only: frames are ignored (see README).
    if (isBinary) {
      respond(
        failedResponse(
          1400,
          'binary frames are not accepted; send each request as a text frame holding JSON',
        ),
      );
      return;
    }
    const parsed = parseActionText(frameToText(data));
    if (!parsed.ok) {
      respond(parsed.response);
      return;
    }
    runAction(parsed.request);
  }

  function dispose(): void {
    if (disposed) return;
    disposed = true;
    stopTimers();
    unsubscribe?.();
    unsubscribe = undefined;
    held = [];
    init.onDispose?.(session);
  }

  function close(code: number, reason: string): void {
    if (!closing) {
      closing = true;
      try {
        socket.close(code, reason);
      } catch (error) {
        logger.debug({ err: error, role }, 'close failed; terminating');
        socket.terminate();
      }
    }
    dispose();
  }

  function update(changes: Partial<SessionOptions>): void {
    const previous = options;
    options = withDefinedValues(options, changes);
    if (disposed) return;
    if (
      receivesEvents &&
      (previous.messagePostFormat !== options.messagePostFormat ||
        previous.reportSelfMessage !== options.reportSelfMessage)
    ) {
      subscribe();
    }
    if (previous.heartInterval !== options.heartInterval) startTimers();
    if (role === 'universal' && options.enableForcePushEvent) becomeReady();
  }

  const session: OneBotSession = {
    role,
    handleFrame,
    handlePong() {
      unansweredPings = 0;
    },
    update,
    options: () => options,
    close,
    dispose,
    isDisposed: () => disposed,
    isReady: () => receivesEvents && ready,
    pendingActions: () => inFlight,
  };

  if (receivesEvents) {
    sendMeta(createLifecycleEvent(context.selfId(), 'connect'));
    subscribe();
  }
  startTimers();
  return session;
}
