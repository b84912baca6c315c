import { redactDebugText } from '../auth.js';
import type { DeliveredEvent } from '../bus/event-bus.js';
import { createLifecycleEvent, heartbeatFromBackend, warnHeartbeatProblemOnce } from '../bus/meta-events.js';
import { passesFilterQuery } from '../filter/event-filter.js';
import { parseActionText } from '../router/parse-request.js';
import { failedResponse } from '../router/responses.js';
import type { ActionResponse } from '../types/actions.js';
import type { OneBotEvent } from '../types/events.js';
import { answerText, createActionRunner, frameToText, type IncomingFrame } from './session-actions.js';
import { createSessionKeepalive } from './session-keepalive.js';
import {
  defaultSessionOptions,
  SessionCloseCode,
  withDefinedValues,
  type OneBotSession,
  type SessionInit,
  type SessionOptions,
} from './session-options.js';
import { createSessionWriter } from './session-writer.js';

export type { IncomingFrame } from './session-actions.js';
export type { OneBotSession, SessionInit } from './session-options.js';
export {
  DEFAULT_PING_INTERVAL_MS,
  SessionCloseCode,
  defaultSessionOptions,
  type SessionOptions,
  type SessionRole,
} from './session-options.js';

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
  /** The event being written, until its write returns: a cut during it hands the event to onDispose. */
  let writingEvent: DeliveredEvent | undefined;
  // One warning per connection when the backend's status cannot be sent.
  const warnHeartbeatOnce = warnHeartbeatProblemOnce(logger, { role });
  let ready = role === 'event' || (role === 'universal' && options.enableForcePushEvent);
  let held: DeliveredEvent[] = [];
  let droppedHeld = 0;
  let unsubscribe: (() => void) | undefined;

  const receivesEvents = role !== 'api';

  const actions = createActionRunner({
    context,
    maxPendingActions: () => options.maxPendingActions,
    respond,
    rejected: (error) => logger.error({ err: error, role }, 'callAction rejected'),
  });

  const writer = createSessionWriter({
    socket,
    maxBufferedBytes: () => options.maxBufferedBytes,
    slow: cutSlowConsumer,
    failed(error) {
      logger.warn({ err: error, role }, 'could not write to the WebSocket; closing it');
      close(1011, 'write failed');
    },
  });

  const keepalive = createSessionKeepalive({
    receivesEvents,
    heartbeat: sendHeartbeat,
    ping() {
      try {
        socket.ping();
      } catch (error) {
        logger.debug({ err: error, role }, 'ping failed');
      }
    },
    unanswered() {
      logger.warn({ role }, 'peer did not answer two pings in a row; terminating the connection');
      try {
        socket.terminate();
      } finally {
        dispose();
      }
    },
  });

  function logFrame(direction: 'in' | 'out', text: string): void {
    const shown = redactDebugText(text, options.token, '[redacted]');
    logger.info(
      { direction, role, frame: shown },
      direction === 'in' ? 'ws frame received' : 'ws frame sent',
    );
  }

  /** Write one text frame; false when the connection is closing or was just cut for being slow. */
  function write(data: string | DeliveredEvent): boolean {
    if (closing || disposed) return false;
    writingEvent = typeof data === 'string' ? undefined : data;
    try {
      return writer.write(data);
    } finally {
      writingEvent = undefined;
    }
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

  function respond(response: ActionResponse): void {
    if (counters) counters.actionsHandled += 1;
    if (disposed || closing) return;
    const text = answerText(response, (error) =>
      logger.error({ err: error, role }, 'an action answer could not be serialised'),
    );
    if (write(text) && options.debug) logFrame('out', text);
  }

  function handleFrame(data: IncomingFrame, isBinary: boolean): void {
    if (disposed) return;
    keepalive.answered();
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
    actions.run(parsed.request);
  }

  function dispose(): void {
    if (disposed) return;
    disposed = true;
    // A dispose during an event's own write (a cut) hands that event on: it was never written.
    const unsent = writingEvent;
    writingEvent = undefined;
    keepalive.stop();
    unsubscribe?.();
    unsubscribe = undefined;
    held = [];
    init.onDispose?.(session, unsent);
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
    if (previous.heartInterval !== options.heartInterval) keepalive.restart(options.heartInterval);
    if (role === 'universal' && options.enableForcePushEvent) becomeReady();
  }

  const session: OneBotSession = {
    role,
    handleFrame,
    handlePong: () => keepalive.answered(),
    update,
    options: () => options,
    close,
    dispose,
    isDisposed: () => disposed,
    isReady: () => receivesEvents && ready,
    pendingActions: () => actions.inFlight,
  };

  if (receivesEvents) {
    sendMeta(createLifecycleEvent(context.selfId(), 'connect'));
    subscribe();
  }
  keepalive.restart(options.heartInterval);
  return session;
}
