import { redactDebugText } from '../auth.js';
import type { AdapterContext, AdapterCounters } from '../adapter.js';
import type { DeliveredEvent } from '../bus/event-bus.js';
import {
  createLifecycleEvent,
  heartbeatFromBackend,
  warnHeartbeatProblemOnce,
  type HeartbeatProblem,
} from '../bus/meta-events.js';
import { passesFilterQuery } from '../filter/event-filter.js';
import type { Logger } from '../logger.js';
import { parseActionText } from '../router/parse-request.js';
import type { ActionResponse } from '../types/actions.js';
import type { OneBotEvent } from '../types/events.js';
import {
  ActionRunner,
  answerText,
  binaryFrameRefusal,
  frameToText,
  type IncomingFrame,
} from './session-actions.js';
import { HeldEvents } from './session-held-events.js';
import { SessionKeepalive } from './session-keepalive.js';
import {
  defaultSessionOptions,
  SessionCloseCode,
  withDefinedValues,
  type OneBotSession,
  type SessionInit,
  type SessionOptions,
  type SessionRole,
} from './session-options.js';
import { SessionWriter } from './session-writer.js';
import type { SessionSocket } from './socket.js';

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
  return new Session(init);
}

/**
 * A class rather than a closure per behaviour: every connection pays for its
 * memory, so state lives in fields and code on the prototype. It is the one
 * host its writer, keepalive and action runner call back into.
 */
class Session implements OneBotSession {
  readonly role: SessionRole;
  readonly socket: SessionSocket;
  readonly context: AdapterContext;
  readonly receivesEvents: boolean;
  readonly logger: Logger;
  private readonly counters: AdapterCounters | undefined;
  private readonly onDispose: SessionInit['onDispose'];
  private current: SessionOptions;
  private disposed = false;
  private closing = false;
  /** The event being written, until its write returns: a cut during it hands the event to onDispose. */
  private writingEvent: DeliveredEvent | undefined = undefined;
  /** One warning per connection when the backend's status cannot be sent (made at the first problem). */
  private warnHeartbeat: HeartbeatProblem | undefined = undefined;
  private ready: boolean;
  private held: HeldEvents | undefined = undefined;
  private unsubscribe: (() => void) | undefined = undefined;
  private readonly actions: ActionRunner;
  private readonly writer: SessionWriter;
  private readonly keepalive: SessionKeepalive;

  constructor(init: SessionInit) {
    this.role = init.role;
    this.socket = init.socket;
    this.context = init.context;
    this.logger = init.logger ?? init.context.logger;
    this.counters = init.counters;
    this.onDispose = init.onDispose;
    this.current = withDefinedValues(defaultSessionOptions, init.options);
    this.receivesEvents = this.role !== 'api';
    this.ready = this.role === 'event' || (this.role === 'universal' && this.current.enableForcePushEvent);
    this.actions = new ActionRunner(this);
    this.writer = new SessionWriter(this);
    this.keepalive = new SessionKeepalive(this);
    if (this.receivesEvents) {
      this.sendMeta(createLifecycleEvent(this.context.selfId(), 'connect'));
      this.subscribe();
    }
    this.keepalive.restart(this.current.heartInterval);
  }

  options(): Readonly<SessionOptions> {
    return this.current;
  }

  isDisposed(): boolean {
    return this.disposed;
  }

  isReady(): boolean {
    return this.receivesEvents && this.ready;
  }

  pendingActions(): number {
    return this.actions.inFlight;
  }

  handlePong(): void {
    this.keepalive.answered();
  }

  private logFrame(direction: 'in' | 'out', text: string): void {
    const shown = redactDebugText(text, this.current.token, '[redacted]');
    this.logger.info(
      { direction, role: this.role, frame: shown },
      direction === 'in' ? 'ws frame received' : 'ws frame sent',
    );
  }

  /** Write one text frame; false when the connection is closing or was just cut for being slow. */
  private write(data: string | DeliveredEvent): boolean {
    if (this.closing || this.disposed) return false;
    this.writingEvent = typeof data === 'string' ? undefined : data;
    try {
      return this.writer.write(data);
    } finally {
      this.writingEvent = undefined;
    }
  }

  /** Writer host: the peer stopped reading. */
  cutSlowConsumer(buffered: number): void {
    const { maxBufferedBytes } = this.current;
    const message = `slow consumer: ${buffered} bytes unsent (limit ${maxBufferedBytes}); connection closed with 1013`;
    this.logger.warn({ role: this.role, bufferedBytes: buffered, maxBufferedBytes }, message);
    if (this.counters) {
      this.counters.errors += 1;
      this.counters.lastError = message;
    }
    this.close(SessionCloseCode.TRY_AGAIN_LATER, 'slow consumer: too much unsent data');
  }

  /** Writer host: the socket threw. */
  writeFailed(error: unknown): void {
    this.logger.warn({ err: error, role: this.role }, 'could not write to the WebSocket; closing it');
    this.close(1011, 'write failed');
  }

  private sendText(text: string): void {
    if (this.write(text) && this.current.debug) this.logFrame('out', text);
  }

  private sendMeta(event: OneBotEvent): void {
    if (!passesFilterQuery(this.current.filter, event)) return;
    this.sendText(JSON.stringify(event));
  }

  private sendEvent(delivered: DeliveredEvent): void {
    if (!this.write(delivered)) return;
    if (this.counters) this.counters.eventsSent += 1;
    if (this.current.debug) this.logFrame('out', delivered.json);
  }

  private onEvent(delivered: DeliveredEvent): void {
    if (this.ready) {
      this.sendEvent(delivered);
      return;
    }
    this.held ??= new HeldEvents();
    if (this.held.hold(delivered, this.current.maxHeldEvents)) {
      this.logger.warn(
        { role: this.role, maxHeldEvents: this.current.maxHeldEvents },
        'connection has not sent its first frame yet; dropping its oldest held events',
      );
    }
  }

  private becomeReady(): void {
    if (this.ready || !this.receivesEvents) return;
    this.ready = true;
    const held = this.held;
    this.held = undefined;
    for (const delivered of held?.events ?? []) this.sendEvent(delivered);
  }

  private subscribe(): void {
    this.unsubscribe?.();
    this.unsubscribe = this.context.subscribe(
      {
        format: this.current.messagePostFormat,
        reportSelfMessage: this.current.reportSelfMessage,
        filter: () => this.current.filter,
      },
      (delivered) => this.onEvent(delivered),
    );
  }

  /** Keepalive host. */
  sendHeartbeat(): void {
    // A connection that may not receive events yet gets no heartbeat either: it would be stale when released.
    if (!this.ready) return;
    // Built and serialised without throwing: this runs in a timer, where a throw would end the process.
    const { context } = this;
    const heartbeat = heartbeatFromBackend(
      () => context.selfId(),
      this.current.heartInterval,
      () => context.backendStatus(),
      (reason, error) => {
        this.warnHeartbeat ??= warnHeartbeatProblemOnce(this.logger, { role: this.role });
        this.warnHeartbeat(reason, error);
      },
    );
    if (!passesFilterQuery(this.current.filter, heartbeat)) return;
    this.sendText(JSON.stringify(heartbeat));
  }

  /** Action runner host: send one answer. */
  respond(response: ActionResponse): void {
    if (this.counters) this.counters.actionsHandled += 1;
    if (this.disposed || this.closing) return;
    this.sendText(answerText(response, this.logger, this.role));
  }

  handleFrame(data: IncomingFrame, isBinary: boolean): void {
    if (this.disposed) return;
    this.keepalive.answered();
    if (this.current.debug) this.logFrame('in', isBinary ? `<binary frame>` : frameToText(data));
    if (this.role === 'universal') this.becomeReady();
    if (this.role === 'event') return; // Event connections are push-only: frames are ignored (see README).
    if (isBinary) {
      this.respond(binaryFrameRefusal());
      return;
    }
    const parsed = parseActionText(frameToText(data));
    if (!parsed.ok) {
      this.respond(parsed.response);
      return;
    }
    this.actions.run(parsed.request);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    // A dispose during an event's own write (a cut) hands that event on: it was never written.
    const unsent = this.writingEvent;
    this.writingEvent = undefined;
    this.keepalive.stop();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.held = undefined;
    this.onDispose?.(this, unsent);
  }

  close(code: number, reason: string): void {
    if (!this.closing) {
      this.closing = true;
      try {
        this.socket.close(code, reason);
      } catch (error) {
        this.logger.debug({ err: error, role: this.role }, 'close failed; terminating');
        this.socket.terminate();
      }
    }
    this.dispose();
  }

  update(changes: Partial<SessionOptions>): void {
    const previous = this.current;
    const next = withDefinedValues(previous, changes);
    this.current = next;
    if (this.disposed) return;
    if (
      this.receivesEvents &&
      (previous.messagePostFormat !== next.messagePostFormat ||
        previous.reportSelfMessage !== next.reportSelfMessage)
    ) {
      this.subscribe();
    }
    if (previous.heartInterval !== next.heartInterval) this.keepalive.restart(next.heartInterval);
    if (this.role === 'universal' && next.enableForcePushEvent) this.becomeReady();
  }
}
