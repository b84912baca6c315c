import type { BackendStatus } from './adapter.js';
import type { DurableEventSource } from './durable.js';
import type { EventBus } from './bus/event-bus.js';
import type { Logger } from './logger.js';
import type { ActionRouter } from './router/action-router.js';

/**
 * A backend is where actions are carried out and events come from: the
 * sandbox (a simulated account), an upstream OneBot implementation, or your
 * own. It registers its action handlers on the router and publishes its
 * events on the bus; adapters never see it directly.
 */
export interface Backend {
  readonly type: string;
  /** Resolves when the backend can serve actions (an upstream: first connection made or failed clearly). */
  start(): Promise<void>;
  stop(): Promise<void>;
  selfId(): number;
  status(): BackendStatus;
  /** A backend that keeps events in a log (the NATS edge) offers durable consumers to client adapters. */
  durableEvents?(): DurableEventSource;
}

export interface BackendOptions<C> {
  config: C;
  router: ActionRouter;
  bus: EventBus;
  logger: Logger;
}
