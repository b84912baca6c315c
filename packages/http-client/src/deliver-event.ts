import type { AdapterContext, OneBotEvent } from '@onebot-gateway/core';
import {
  describeEvent,
  redactHeaders,
  redactSecrets,
  type createAdapterCounters,
  type DropLog,
} from '@onebot-gateway/core/internal';
import type { HttpClientOptions } from './config.js';
import type { AttemptResult, EventPoster, FailureReason } from './event-poster.js';
import { defaultRetryDelays, retryFailedPost, type FinalResult } from './post-with-retries.js';
import { parseQuickOperation } from './quick-reply.js';

/** Why an event was dropped: a failed delivery, a full queue, or a stop with events still queued. */
export type DropReason = FailureReason | 'queue_full';

/** One event waiting for its POST: the bytes to send, encoded once. */
export interface PostJob {
  event: OneBotEvent;
  body: Buffer;
  /** `durable: true`: tell JetStream this event is done with (posted, or dropped and logged). */
  ack?: () => void;
}

export function encodeOwnEvent(event: OneBotEvent): PostJob {
  return { event, body: Buffer.from(JSON.stringify(event)) };
}

export interface DeliveryDeps {
  context: AdapterContext;
  counters: ReturnType<typeof createAdapterCounters>;
  drops: DropLog<DropReason>;
  config(): HttpClientOptions;
  /** The current pool: reload may swap it; undefined once stopped. */
  poster(): EventPoster | undefined;
  /** Aborted on stop: retry waits end at once. */
  stopSignal(): AbortSignal;
  headersFor(body: Buffer): Record<string, string>;
  loggedUrl(): string;
  onRetry(): void;
}

/**
 * What a delivery worker does with one event: POST it (retrying what may
 * not have arrived), count or drop it, acknowledge it, and run the quick
 * operation its reply carries. Never rejects on the endpoint's behaviour.
 */
export function createEventDelivery(deps: DeliveryDeps): (job: PostJob) => Promise<void> {
  const { context, counters, drops } = deps;
  const logger = context.logger;

  async function runQuickOperation(event: OneBotEvent, operation: Record<string, unknown>): Promise<void> {
    const response = await context.callAction({
      action: '.handle_quick_operation',
      params: { context: event, operation },
    });
    counters.actionsHandled += 1;
    if (response.retcode !== 0) {
      counters.recordError(new Error(response.message));
      logger.warn(
        { event: describeEvent(event), retcode: response.retcode },
        `the quick operation in the reply failed: ${response.message}`,
      );
    }
  }

  return async function deliver(job) {
    const config = deps.config();
    const headers = deps.headersFor(job.body);
    if (config.debug) {
      logger.info(
        {
          url: deps.loggedUrl(),
          headers: redactHeaders(headers),
          body: redactSecrets(job.body.toString('utf8'), config.token),
        },
        'POST event',
      );
    }
    const timeoutMs = config.timeout;
    const activePoster = deps.poster() as EventPoster;
    // The first attempt inline: the common case (it worked) costs no closure and no extra promise.
    let result: AttemptResult = await activePoster.post(job.body, headers, timeoutMs);
    let attempts = 1;
    if (!result.ok && result.retryable) {
      const final: FinalResult = await retryFailedPost(
        result,
        // The current pool: reload may have swapped it; after stop the old one answers `stopped`.
        () => (deps.poster() ?? activePoster).post(job.body, headers, timeoutMs),
        { attempts: config.retries, ...defaultRetryDelays },
        deps.stopSignal(),
        (failed, attempt, delayMs) => {
          deps.onRetry();
          counters.recordError(new Error(failed.detail));
          logger.debug(
            { event: describeEvent(job.event), attempt, delayMs },
            `POST failed (${failed.reason}: ${failed.detail}); retrying`,
          );
        },
      );
      result = final;
      attempts = final.attempts;
    }
    if (!result.ok) {
      counters.recordError(new Error(result.detail));
      const tries = attempts > 1 ? ` (after ${attempts} attempts)` : '';
      drops.record(result.reason, `${result.detail}${tries}`, job.event);
      // Stopped mid-post: left unacknowledged, so the next process posts it again.
      if (result.reason !== 'stopped') job.ack?.();
      return;
    }
    job.ack?.();
    counters.eventsSent += 1;
    if (config.debug) {
      logger.info(
        {
          status: result.status,
          reply: result.reply === undefined ? undefined : redactSecrets(result.reply, config.token),
        },
        'POST answered',
      );
    }
    const operation = parseQuickOperation(result.reply);
    if (operation !== undefined) await runQuickOperation(job.event, operation);
  };
}
