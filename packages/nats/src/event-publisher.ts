import { randomBytes } from 'node:crypto';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger, OneBotEvent } from '@onebot-gateway/core';
import { createPublishBuffer, type PendingPublish, type PublishBuffer } from './publish-buffer.js';
import { eventSubject } from './subjects.js';

/** Publishes in flight at once: enough to hide the round trip to JetStream, few enough to retry cheaply. */
export const PUBLISH_WINDOW = 256;
/** How long one publish waits for JetStream's acknowledgement before it is retried. */
export const PUBLISH_ACK_TIMEOUT_MS = 5_000;
/** Pause after a failed publish before the next try. */
const RETRY_DELAY_MS = 500;

export interface EventPublisherOptions {
  subjectPrefix: string;
  maxBufferedBytes: number;
  log: Logger;
  /** The connection while it is up and the stream exists; undefined while not. */
  connection(): NatsConnection | undefined;
  /** The origin's account, for events that lack `self_id`. */
  selfId(): number;
  /** Called with the event's `self_id` before each publish (the action server follows the account). */
  onAccount?(selfId: number): void;
}

export interface EventPublisherStatus {
  published: number;
  bufferedEvents: number;
  bufferedBytes: number;
  maxBufferedBytes: number;
  droppedEvents: number;
  /** Events larger than the server's max_payload, never publishable. */
  tooLargeEvents: number;
  lastPublishError?: string;
}

export interface EventPublisher {
  /** Queue one event (its JSON as the bus encoded it) and publish as soon as NATS takes it. */
  enqueue(event: OneBotEvent, json: Buffer): void;
  /** Try the buffer now (after a reconnection). */
  flush(): void;
  /** Resolves true once nothing waits, false after `timeoutMs` (NATS down or slow). */
  drained(timeoutMs: number): Promise<boolean>;
  /** Stop retrying; what is buffered stays counted in status. */
  stop(): void;
  status(): EventPublisherStatus;
}

/**
 * Every event goes through a bounded buffer to JetStream, each with a
 * `Nats-Msg-Id` made of this process's random boot id and a counter: a
 * publish retried after a lost acknowledgement is stored once (within the
 * stream's duplicate window), and two origin processes never collide.
 */
export function createEventPublisher(options: EventPublisherOptions): EventPublisher {
  const { log } = options;
  const bootId = randomBytes(6).toString('hex');
  const buffer: PublishBuffer = createPublishBuffer(options.maxBufferedBytes);
  let nextSequence = 1;
  let published = 0;
  let tooLarge = 0;
  let pumping = false;
  let stopped = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let lastPublishError: string | undefined;
  let warnedFull = false;

  function scheduleRetry(): void {
    if (retryTimer || stopped) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void pump();
    }, RETRY_DELAY_MS);
  }

  /** Sends windows of publishes until the buffer is empty or NATS fails; never runs twice at once. */
  async function pump(): Promise<void> {
    if (pumping || stopped) return;
    pumping = true;
    try {
      for (;;) {
        const connection = options.connection();
        if (!connection || buffer.size() === 0) return;
        const batch = buffer.peek(PUBLISH_WINDOW);
        const maxPayload = connection.info?.max_payload ?? Number.POSITIVE_INFINITY;
        const fits = batch.filter((entry) => entry.payload.byteLength <= maxPayload);
        if (fits.length < batch.length)
          dropTooLarge(
            batch.filter((entry) => !fits.includes(entry)),
            maxPayload,
          );
        const client = jetstream(connection);
        const results = await Promise.allSettled(
          fits.map((entry) =>
            client.publish(entry.subject, entry.payload, {
              msgID: entry.messageId,
              timeout: PUBLISH_ACK_TIMEOUT_MS,
            }),
          ),
        );
        const stored = fits.filter((_, index) => results[index]!.status === 'fulfilled');
        buffer.stored(stored);
        published += stored.length;
        const failure = results.find((result) => result.status === 'rejected');
        if (failure) {
          const message = (failure.reason as Error).message;
          if (lastPublishError === undefined) {
            log.warn(
              { bufferedEvents: buffer.size(), bufferedBytes: buffer.bytes() },
              `publishing to JetStream failed (${message}); holding events and retrying`,
            );
          }
          lastPublishError = message;
          scheduleRetry();
          return;
        }
        if (lastPublishError !== undefined) {
          log.info({ published }, 'publishing to JetStream works again');
          lastPublishError = undefined;
          warnedFull = false;
        }
      }
    } finally {
      pumping = false;
    }
  }

  function dropTooLarge(entries: readonly PendingPublish[], maxPayload: number): void {
    buffer.stored(entries);
    tooLarge += entries.length;
    for (const entry of entries) {
      log.warn(
        { subject: entry.subject, bytes: entry.payload.byteLength, maxPayload },
        `dropped an event of ${entry.payload.byteLength} bytes: larger than the NATS server's max_payload (${maxPayload}); raise max_payload in nats-server.conf`,
      );
    }
  }

  return {
    enqueue(event, json) {
      if (stopped) return;
      const eventSelfId = Number(event.self_id);
      const selfId = Number.isSafeInteger(eventSelfId) && eventSelfId > 0 ? eventSelfId : options.selfId();
      options.onAccount?.(selfId);
      const entry: PendingPublish = {
        subject: eventSubject(options.subjectPrefix, selfId, event),
        messageId: `${bootId}-${nextSequence++}`,
        payload: json,
      };
      const dropped = buffer.push(entry);
      if (dropped > 0 && !warnedFull) {
        warnedFull = true;
        log.warn(
          { maxBufferedBytes: options.maxBufferedBytes, droppedEvents: buffer.dropped() },
          `the NATS buffer is full (${options.maxBufferedBytes} bytes): dropping the oldest events until NATS takes them again`,
        );
      }
      void pump();
    },
    flush: () => void pump(),
    async drained(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (buffer.size() > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return buffer.size() === 0;
    },
    stop() {
      stopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = undefined;
    },
    status: () => ({
      published,
      bufferedEvents: buffer.size(),
      bufferedBytes: buffer.bytes(),
      maxBufferedBytes: options.maxBufferedBytes,
      droppedEvents: buffer.dropped(),
      tooLargeEvents: tooLarge,
      ...(lastPublishError ? { lastPublishError } : {}),
    }),
  };
}
