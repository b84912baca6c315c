import type {
  AccountSendLimitStatus,
  ActionRequest,
  ActionResponse,
  EventListener,
  EventSubscription,
} from '@onebot-gateway/core';
import type { GatewayConfigFile } from '../gateway.js';
import type { LogTap } from '../log-tap.js';

/** What the dashboard's admin routes need from the gateway; each is optional so the admin API runs without it. */
export interface DashboardSources {
  /** Run an action through the router, as an adapter's context does. */
  callAction?(request: ActionRequest): Promise<ActionResponse>;
  /** Every event the backend publishes, in one format. */
  subscribe?(subscription: EventSubscription, listener: EventListener): () => void;
  /** Events the backend published so far, each once (the bus's count): the overview's events/s. */
  eventsPublished?(): number;
  /** The running config file; absent for an in-memory config. */
  configFile?: GatewayConfigFile;
  /** The log's lines; absent when the logger was not made by createGatewayLogger. */
  logTap?: LogTap;
  /** The send rate limit per account, for `/api/health` and `/metrics`. */
  rateLimits?(): AccountSendLimitStatus[];
}
