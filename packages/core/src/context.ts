import type { AdapterContext, BackendStatus } from './adapter.js';
import type { EventBus } from './bus/event-bus.js';
import type { DurableEventSource } from './durable.js';
import type { Logger } from './logger.js';
import { noopLogger } from './logger.js';
import type { ActionRouter } from './router/action-router.js';

export interface AdapterContextSource {
  router: ActionRouter;
  bus: EventBus;
  selfId: () => number;
  logger?: Logger;
  backendStatus?: () => BackendStatus;
  durableEvents?: DurableEventSource;
}

/** The narrow context handed to one adapter; its logger is a child named after it. */
export function createAdapterContext(source: AdapterContextSource, adapterName: string): AdapterContext {
  const logger = (source.logger ?? noopLogger).child({ adapter: adapterName });
  return {
    logger,
    selfId: source.selfId,
    callAction: (request) => source.router.handle(request),
    subscribe: (subscription, listener) => source.bus.subscribe(subscription, listener),
    backendStatus: source.backendStatus ?? (() => ({ online: true, good: true })),
    ...(source.durableEvents ? { durableEvents: source.durableEvents } : {}),
  };
}
