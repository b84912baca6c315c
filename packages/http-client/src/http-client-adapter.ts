import {
  OneBotError,
  redactUrl,
  signBody,
  type Adapter,
  type AdapterContext,
  type AdapterState,
  type AdapterStatus,
  type DeliveredEvent,
  type HttpClientConfig,
  type OneBotEvent,
} from '@onebot-gateway/core';
import {
  createAdapterCounters,
  createDropLog,
  describeEvent,
  heartbeatFromBackend,
  warnHeartbeatProblemOnce,
  createLifecycleEvent,
  passesFilterQuery,
  redactHeaders,
  redactSecrets,
  settleWithin,
} from '@onebot-gateway/core/internal';
import { resolveHttpClientConfig, type HttpClientOptions } from './config.js';
import { createDeliveryQueue, type DeliveryQueue } from './delivery-queue.js';

import {
  createEventPoster,
  type AttemptResult,
  type EventPoster,
  type FailureReason,
} from './event-poster.js';
import { defaultRetryDelays, retryFailedPost, type FinalResult } from './post-with-retries.js';
import { parseQuickOperation } from './quick-reply.js';
import { requireDurableEvents, subscribeDurably } from './durable-feed.js';

export const HTTP_CLIENT_USER_AGENT = 'OneBot/11 onebot-gateway';

/** Why an event was dropped: a failed delivery, a full queue, or a stop with events still queued. */
export type DropReason = FailureReason | 'queue_full';

interface PostJob {
  event: OneBotEvent;
  body: Buffer;
  /** `durable: true`: tell JetStream this event is done with (posted, or dropped and logged). */
  ack?: () => void;
}

function posterFor(config: HttpClientOptions, target = new URL(config.url)): EventPoster {
  return createEventPoster(target, { connections: config.concurrency, connectTimeoutMs: config.timeout });
}

function encodeOwnEvent(event: OneBotEvent): PostJob {
  return { event, body: Buffer.from(JSON.stringify(event)) };
}

function parseTargetUrl(config: HttpClientOptions): URL {
  let target: URL | undefined;
  try {
    target = new URL(config.url);
  } catch {
    target = undefined;
  }
  if (target === undefined || (target.protocol !== 'http:' && target.protocol !== 'https:')) {
    throw new OneBotError(
      'ADAPTER_START_FAILED',
      `${config.name}: url "${redactSecrets(redactUrl(String(config.url)), config.token)}" is not an http:// or https:// URL; fix "url" in this httpClients entry`,
      { details: { adapter: config.name } },
    );
  }
  return target;
}

/**
 * Reverse HTTP (protocol.md section 7, "HTTP client"): POSTs every event to
 * `url` and runs the quick operation found in the reply. Publishing only
 * appends to a bounded queue, so a slow or dead endpoint never delays the
 * event bus or the other adapters.
 */
export function createHttpClientAdapter(
  partialConfig: Partial<HttpClientOptions>,
  context: AdapterContext,
): Adapter<HttpClientConfig> {
  let config = resolveHttpClientConfig(partialConfig);
  const name = config.name;
  const logger = context.logger;
  const counters = createAdapterCounters();
  const drops = createDropLog<DropReason>(logger);
  const heartbeatProblem = warnHeartbeatProblemOnce(logger);
  let state: AdapterState = 'idle';
  let retriesDone = 0;
  let poster: EventPoster | undefined;
  let queue: DeliveryQueue<PostJob> | undefined;
  let unsubscribe: (() => void) | undefined;
  let heartbeatTimer: NodeJS.Timeout | undefined;
  let stopController = new AbortController();
  let starting: Promise<void> | undefined;
  let stopping: Promise<void> | undefined;

  const loggedUrl = (): string => redactSecrets(redactUrl(config.url), config.token);

  // Without a token every POST carries the same headers: build them once per self id.
  let sharedHeaders: { selfId: number; headers: Record<string, string> } | undefined;

  function headersFor(body: Buffer): Record<string, string> {
    const selfId = context.selfId();
    if (config.token === '') {
      if (sharedHeaders?.selfId !== selfId) {
        sharedHeaders = {
          selfId,
          headers: {
            'content-type': 'application/json',
            'user-agent': HTTP_CLIENT_USER_AGENT,
            'x-self-id': String(selfId),
          },
        };
      }
      return sharedHeaders.headers;
    }
    return {
      'content-type': 'application/json',
      'user-agent': HTTP_CLIENT_USER_AGENT,
      'x-self-id': String(selfId),
      authorization: `Bearer ${config.token}`,
      'x-signature': signBody(config.token, body),
    };
  }

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

  async function deliver(job: PostJob): Promise<void> {
    const headers = headersFor(job.body);
    if (config.debug) {
      logger.info(
        {
          url: loggedUrl(),
          headers: redactHeaders(headers),
          body: redactSecrets(job.body.toString('utf8'), config.token),
        },
        'POST event',
      );
    }
    const timeoutMs = config.timeout;
    const activePoster = poster as EventPoster;
    let result: AttemptResult = await activePoster.post(job.body, headers, timeoutMs);
    let attempts = 1;
    if (!result.ok && result.retryable) {
      const final: FinalResult = await retryFailedPost(
        result,
        // The current pool: reload may have swapped it; after stop the old one answers `stopped`.
        () => (poster ?? activePoster).post(job.body, headers, timeoutMs),
        { attempts: config.retries, ...defaultRetryDelays },
        stopController.signal,
        (failed, attempt, delayMs) => {
          retriesDone += 1;
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
  }

  function enqueue(job: PostJob): void {
    if (queue === undefined || state !== 'running') return;
    if (!queue.push(job)) {
      drops.record(
        'queue_full',
        `${config.queueSize} events are already waiting for ${loggedUrl()}; the endpoint is too slow or down`,
        job.event,
      );
    }
  }

  function onEvent(delivered: DeliveredEvent): void {
    enqueue({ event: delivered.event, body: delivered.buffer });
  }

  /** `durable: true`: a JetStream durable consumer instead of the bus (durable-feed.ts). */
  async function subscribeDurable(): Promise<void> {
    unsubscribe?.();
    unsubscribe = undefined;
    const stop = await subscribeDurably(config, context, (delivery) =>
      enqueue({ event: delivery.event, body: delivery.buffer, ack: () => delivery.ack() }),
    );
    unsubscribe = () => void stop();
  }

  function subscribe(): void {
    unsubscribe?.();
    if (config.durable) {
      void subscribeDurable().catch((error: unknown) => counters.recordError(error));
      return;
    }
    unsubscribe = context.subscribe(
      {
        format: config.messagePostFormat,
        reportSelfMessage: config.reportSelfMessage,
        filter: () => config.filter,
      },
      onEvent,
    );
  }

  function startHeartbeat(): void {
    if (heartbeatTimer !== undefined) clearInterval(heartbeatTimer);
    heartbeatTimer = undefined;
    if (config.heartInterval <= 0) return;
    const interval = config.heartInterval;
    heartbeatTimer = setInterval(() => {
      // Never throws: a throw here, in a timer, would end the process.
      const heartbeat = heartbeatFromBackend(
        () => context.selfId(),
        interval,
        () => context.backendStatus(),
        heartbeatProblem,
      );
      if (passesFilterQuery(config.filter, heartbeat)) enqueue(encodeOwnEvent(heartbeat));
    }, interval);
  }

  async function doStart(): Promise<void> {
    state = 'starting';
    const target = parseTargetUrl(config);
    if (config.durable) requireDurableEvents(config, context);
    stopController = new AbortController();
    poster = posterFor(config, target);
    queue = createDeliveryQueue<PostJob>({
      capacity: config.queueSize,
      concurrency: config.concurrency,
      worker: deliver,
      onWorkerError: (error) => {
        counters.recordError(error);
        logger.error({ err: error }, 'delivering an event failed unexpectedly (a bug)');
      },
    });
    state = 'running';
    // Queued before the first event, so it is the first POST the endpoint sees.
    const enable = createLifecycleEvent(context.selfId(), 'enable');
    if (passesFilterQuery(config.filter, enable)) enqueue(encodeOwnEvent(enable));
    if (config.durable) await subscribeDurable();
    else subscribe();
    startHeartbeat();
    logger.info({ url: loggedUrl() }, `posting events to ${loggedUrl()}`);
  }

  /** Resolves with `task`'s result, or `undefined` once `ms` have passed (the task keeps running on its own). */
  async function within<T>(task: Promise<T>, ms: number): Promise<T | undefined> {
    const outcome = await settleWithin(task, ms);
    return outcome.settled ? outcome.value : undefined;
  }

  /**
   * POST lifecycle disable on a connection of its own (the pool may be
   * destroyed by now), within `budgetMs`. undici's own timeouts are coarse
   * above 1 s, so a timer destroys the connection at the deadline; either way
   * an unanswered disable counts as a `timeout` drop.
   */
  async function postDisable(budgetMs: number): Promise<void> {
    const job = encodeOwnEvent(createLifecycleEvent(context.selfId(), 'disable'));
    if (!passesFilterQuery(config.filter, job.event)) return;
    const wait = Math.max(1, Math.min(config.timeout, budgetMs));
    const disablePoster = createEventPoster(new URL(config.url), { connections: 1, connectTimeoutMs: wait });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      void disablePoster.destroy().catch(() => undefined);
    }, wait);
    try {
      const result = await disablePoster.post(job.body, headersFor(job.body), wait);
      if (result.ok) counters.eventsSent += 1;
      else if (timedOut)
        drops.record(
          'timeout',
          `lifecycle disable not answered within ${wait} ms of the stop timeout`,
          job.event,
        );
      else drops.record(result.reason, `lifecycle disable not delivered: ${result.detail}`, job.event);
    } finally {
      clearTimeout(timer);
      await within(
        disablePoster.destroy().catch(() => undefined),
        100,
      );
    }
  }

  /**
   * The whole stop (drain, abort, disable) fits in `stopTimeout`, so a host
   * with its own per-adapter limit (the gateway's 3 s) never cuts it short
   * and loses the disable post or the drop summary. Half the budget drains
   * the queue; what is left is split between aborting the rest and disable.
   */
  async function doStop(): Promise<void> {
    state = 'stopping';
    const deadline = Date.now() + config.stopTimeout;
    const left = (): number => Math.max(0, deadline - Date.now());
    unsubscribe?.();
    unsubscribe = undefined;
    if (heartbeatTimer !== undefined) clearInterval(heartbeatTimer);
    heartbeatTimer = undefined;
    const activeQueue = queue as DeliveryQueue<PostJob>;
    const activePoster = poster as EventPoster;
    try {
      const drained = await activeQueue.whenIdle(Math.floor(config.stopTimeout / 2));
      if (!drained) {
        stopController.abort();
        const waiting = activeQueue.takeWaiting();
        for (const job of waiting)
          drops.record('stopped', 'the adapter stopped before this event could be posted', job.event);
        // Aborts what still hangs; those events count as `stopped`.
        await within(activePoster.destroy(), left() / 2);
        await activeQueue.whenIdle(Math.floor(left() / 2));
      } else {
        await within(activePoster.close(), left() / 2);
      }
      await postDisable(left());
    } finally {
      // Always, even if something above threw: the counts are what the user needs after a bad stop.
      drops.flush();
      queue = undefined;
      poster = undefined;
      state = 'stopped';
      const byReason = drops.byReason();
      const summary = Object.entries(byReason)
        .map(([reason, count]) => `${String(count)} ${reason}`)
        .join(', ');
      logger.info(
        { url: loggedUrl(), dropped: drops.total, droppedByReason: byReason },
        drops.total === 0
          ? 'stopped posting events; none dropped'
          : `stopped posting events; ${drops.total} dropped in all (${summary})`,
      );
    }
  }

  async function reload(next: HttpClientConfig): Promise<void> {
    const previous = config;
    config = { ...resolveHttpClientConfig(next), name };
    if (state !== 'running') return;
    if (config.url !== previous.url) parseTargetUrl(config);
    queue?.setLimits({ capacity: config.queueSize, concurrency: config.concurrency });
    if (
      config.url !== previous.url ||
      config.concurrency !== previous.concurrency ||
      config.timeout !== previous.timeout
    ) {
      const old = poster;
      poster = posterFor(config);
      void old?.close().catch(() => undefined);
    }
    if (
      config.messagePostFormat !== previous.messagePostFormat ||
      config.reportSelfMessage !== previous.reportSelfMessage ||
      config.durable !== previous.durable ||
      config.durableName !== previous.durableName
    )
      subscribe();
    if (config.heartInterval !== previous.heartInterval) startHeartbeat();
    logger.info({ url: loggedUrl() }, 'configuration reloaded');
  }

  return {
    name,
    kind: 'httpClients',
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
      if (starting !== undefined) await starting.catch(() => undefined);
      if (state !== 'running' && stopping === undefined) return;
      stopping ??= doStop().finally(() => {
        stopping = undefined;
      });
      return stopping;
    },
    reload,
    status(): AdapterStatus {
      return {
        state,
        url: loggedUrl(),
        connections: queue?.active ?? 0,
        eventsSent: counters.eventsSent,
        actionsHandled: counters.actionsHandled,
        errors: counters.errors,
        lastError:
          counters.lastError === undefined ? undefined : redactSecrets(counters.lastError, config.token),
        queued: queue?.waiting ?? 0,
        inFlight: queue?.active ?? 0,
        retries: retriesDone,
        dropped: drops.total,
        droppedByReason: drops.byReason(),
      };
    },
  };
}
