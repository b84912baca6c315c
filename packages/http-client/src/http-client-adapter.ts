import type {
  Adapter,
  AdapterContext,
  AdapterStatus,
  DeliveredEvent,
  HttpClientConfig,
} from '@onebot-gateway/core';
import {
  createAdapterCounters,
  createAdapterLifecycle,
  createDropLog,
  createLifecycleEvent,
  createTimerScope,
  heartbeatFromBackend,
  passesFilterQuery,
  redactSecrets,
  warnHeartbeatProblemOnce,
} from '@onebot-gateway/core/internal';
import { resolveHttpClientConfig, type HttpClientOptions } from './config.js';
import { createDeliveryQueue, type DeliveryQueue } from './delivery-queue.js';
import { createEventDelivery, encodeOwnEvent, type DropReason, type PostJob } from './deliver-event.js';
import { requireDurableEvents, subscribeDurably } from './durable-feed.js';
import { createEventPoster, type EventPoster } from './event-poster.js';
import { createPostHeaders } from './post-headers.js';
import { finishDeliveries, logStopSummary } from './stop-posting.js';
import { loggedUrl, parseTargetUrl } from './target-url.js';

export { HTTP_CLIENT_USER_AGENT } from './post-headers.js';
export type { DropReason } from './deliver-event.js';

function posterFor(config: HttpClientOptions, target = new URL(config.url)): EventPoster {
  return createEventPoster(target, { connections: config.concurrency, connectTimeoutMs: config.timeout });
}

/**
 * Reverse HTTP (protocol.md section 7, "HTTP client"): POSTs every event to
 * `url` and runs the quick operation found in the reply. Publishing only
 * appends to a bounded queue, so a slow or dead endpoint never delays the
 * event bus or the other adapters. On start the first POST is lifecycle
 * `enable`; on stop the queue drains, then lifecycle `disable` is posted.
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
  const timers = createTimerScope();
  let retriesDone = 0;
  let poster: EventPoster | undefined;
  let queue: DeliveryQueue<PostJob> | undefined;
  // True from the queue's creation until the stop begins: events arriving outside are not queued.
  let accepting = false;
  let unsubscribe: (() => void) | undefined;
  let cancelHeartbeat: (() => void) | undefined;
  let stopController = new AbortController();

  const headersFor = createPostHeaders(
    () => config.token,
    () => context.selfId(),
  );
  const deliver = createEventDelivery({
    context,
    counters,
    drops,
    config: () => config,
    poster: () => poster,
    stopSignal: () => stopController.signal,
    headersFor,
    loggedUrl: () => loggedUrl(config),
    onRetry: () => (retriesDone += 1),
  });

  function enqueue(job: PostJob): void {
    if (queue === undefined || !accepting) return;
    if (!queue.push(job)) {
      drops.record(
        'queue_full',
        `${config.queueSize} events are already waiting for ${loggedUrl(config)}; the endpoint is too slow or down`,
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
    cancelHeartbeat?.();
    cancelHeartbeat = undefined;
    if (config.heartInterval <= 0) return;
    const interval = config.heartInterval;
    cancelHeartbeat = timers.interval(() => {
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

  async function open(): Promise<void> {
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
    accepting = true;
    // Queued before the first event, so it is the first POST the endpoint sees.
    const enable = createLifecycleEvent(context.selfId(), 'enable');
    if (passesFilterQuery(config.filter, enable)) enqueue(encodeOwnEvent(enable));
    if (config.durable) await subscribeDurable();
    else subscribe();
    startHeartbeat();
    logger.info({ url: loggedUrl(config) }, `posting events to ${loggedUrl(config)}`);
  }

  /**
   * Stop taking events, finish or drop what is queued, post disable, and log
   * what was dropped. Also runs after a failed open: once the queue exists
   * lifecycle enable may have gone out, so the endpoint is told disable too.
   */
  async function close(): Promise<void> {
    accepting = false;
    unsubscribe?.();
    unsubscribe = undefined;
    timers.clearAll();
    cancelHeartbeat = undefined;
    const activeQueue = queue;
    const activePoster = poster;
    if (activeQueue === undefined || activePoster === undefined) return; // open failed before it made them
    try {
      await finishDeliveries({
        config,
        context,
        counters,
        drops,
        queue: activeQueue,
        poster: activePoster,
        headersFor,
        abortRetries: () => stopController.abort(),
      });
    } finally {
      queue = undefined;
      poster = undefined;
      // Always, even if something above threw: the counts are what the user needs after a bad stop.
      logStopSummary(context, drops, loggedUrl(config));
    }
  }

  const lifecycle = createAdapterLifecycle({
    open,
    close,
    onError: (error) => counters.recordError(error),
  });

  async function applyReload(previous: HttpClientOptions): Promise<void> {
    if (lifecycle.state !== 'running') return;
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
    logger.info({ url: loggedUrl(config) }, 'configuration reloaded');
  }

  return {
    name,
    kind: 'httpClients',
    start: () => lifecycle.start(),
    stop: () => lifecycle.stop(),
    reload(next) {
      const previous = config;
      config = { ...resolveHttpClientConfig(next), name };
      // After any start or stop already asked for, so a reload never acts on a half-open adapter.
      return lifecycle.serially(() => applyReload(previous));
    },
    status(): AdapterStatus {
      return {
        state: lifecycle.state,
        url: loggedUrl(config),
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
