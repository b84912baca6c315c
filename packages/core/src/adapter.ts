import type { Logger } from './logger.js';
import type { ActionRequest, ActionResponse } from './types/actions.js';
import type { EventSubscription, EventListener } from './bus/event-bus.js';
import type { AdapterKind, AnyAdapterConfig } from './config/types.js';
import type { DurableEventSource } from './durable.js';

/** What the backend says about itself; heartbeats carry it as `status`. */
export interface BackendStatus {
  online: boolean;
  good: boolean;
  [key: string]: unknown;
}

/**
 * The narrow view of the application an adapter gets. Nothing else of the
 * gateway is reachable from an adapter.
 */
export interface AdapterContext {
  logger: Logger;
  /** The bot's QQ number. A function: a relay backend learns it after it connects. */
  selfId(): number;
  /** Run one action through the router: coercion, echo, retcodes are done there. */
  callAction(request: ActionRequest): Promise<ActionResponse>;
  /** Receive every published event, pre-encoded in the given format. Returns the unsubscribe. */
  subscribe(subscription: EventSubscription, listener: EventListener): () => void;
  /** Backend health, for heartbeat meta events and status endpoints. */
  backendStatus(): BackendStatus;
  /** Durable consumers, when the backend keeps a log of events (a NATS edge); absent otherwise. */
  durableEvents?: DurableEventSource;
}

export type AdapterState = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped' | 'failed';

/** One open connection of an adapter, as status() lists it. */
export interface AdapterPeer {
  /** The other end: `address:port` of a client, or the URL a client adapter is connected to. */
  remote: string;
  /** What the connection is for: `universal`, `event`, `api` (WebSocket), `sse`, `reverse` ... */
  role: string;
  /** When it opened, ISO 8601. */
  since: string;
}

export interface AdapterStatus {
  state: AdapterState;
  /** `host:port` a server listens on, once it listens. */
  address?: string;
  /** The URL a client connects or posts to. */
  url?: string;
  /** Open connections (servers), 1/0 for a connected client. */
  connections: number;
  eventsSent: number;
  actionsHandled: number;
  errors: number;
  lastError?: string;
  /** Open connections, oldest first (at most 100 are listed; `connections` has the count). */
  peers?: AdapterPeer[];
  /** A client waiting to reconnect: when the next attempt is due, ISO 8601. */
  nextRetryAt?: string;
  [extra: string]: unknown;
}

/** What every adapter factory returns. `start` and `stop` are idempotent. */
export interface Adapter<C extends AnyAdapterConfig = AnyAdapterConfig> {
  readonly name: string;
  readonly kind: AdapterKind;
  /** Resolves once listening/connected (clients: once the first attempt is made); rejects with a clear error. */
  start(): Promise<void>;
  /** Closes every socket and timer; resolves when nothing is left. */
  stop(): Promise<void>;
  /** Apply a changed entry, in place where possible. */
  reload(config: C): Promise<void>;
  status(): AdapterStatus;
  /**
   * Re-read the TLS files of a running TLS listener (certificate rotation,
   * SIGHUP) and use them for new connections; open ones stay. Rejects, and
   * keeps the running certificate, when a file is bad. Only adapters that
   * can serve TLS have it; it does nothing while TLS is off.
   */
  reloadTls?(): Promise<void>;
}

/** Counters kept by adapters for `status()`; small helper so every adapter reports alike. */
export interface AdapterCounters {
  eventsSent: number;
  actionsHandled: number;
  errors: number;
  lastError: string | undefined;
}

export function createAdapterCounters(): AdapterCounters & { recordError(error: unknown): void } {
  const counters = {
    eventsSent: 0,
    actionsHandled: 0,
    errors: 0,
    lastError: undefined as string | undefined,
    recordError(error: unknown) {
      counters.errors += 1;
      counters.lastError = error instanceof Error ? error.message : String(error);
    },
  };
  return counters;
}
