import type { EventFilterQuery } from '../filter/event-filter.js';
import type { MessageFormat } from '../types/segments.js';

/**
 * Resolved adapter entries: what the schema produces after defaults and
 * coercion (protocol.md section 1). Unknown keys of an entry are kept in
 * `extra`-free form on the object itself (index signature).
 */
export interface AdapterEntryBase {
  name: string;
  enable: boolean;
  messagePostFormat: MessageFormat;
  debug: boolean;
  /** MongoDB-style query over each event (array form); events that do not match are not delivered. Default: none. */
  filter?: EventFilterQuery;
  [unknownKey: string]: unknown;
}

/**
 * A listener's `tls` block: PEM file paths, relative to the config file's
 * folder or absolute. Read at start, on reload and on SIGHUP.
 */
export interface ServerTlsFiles {
  /** The certificate chain (leaf first). */
  cert: string;
  /** The private key of `cert`, unencrypted. */
  key: string;
  /** CA certificates to send or trust besides the system ones. */
  ca?: string;
  [unknownKey: string]: unknown;
}

/** A client's `tls` block: the CA file to trust (a private CA or a self-signed server certificate). */
export interface ClientTlsFiles {
  ca: string;
  [unknownKey: string]: unknown;
}

/** Keys of every adapter that listens on host:port. */
export interface ListenerConfig {
  /**
   * Browser origins (`https://app.example`) allowed to open a WebSocket or be
   * granted CORS when no token is set. Default [] (only same-host pages).
   */
  allowedOrigins: string[];
  /** Open connections at once on this listener; more are refused. Default 256. */
  maxConnections: number;
  /** Milliseconds a client has to send its request headers; the body may take 12 times that. Default 10000. */
  requestTimeout: number;
  /** Serve https:// / wss:// with these files; absent = plain HTTP. */
  tls?: ServerTlsFiles;
}

export interface HttpServerConfig extends AdapterEntryBase, ListenerConfig {
  host: string;
  port: number;
  enableCors: boolean;
  enableWebsocket: boolean;
  token: string;
  /** Largest accepted request body in bytes. Default 16 MiB. */
  maxBodySize: number;
  /** WebSocket settings used when enableWebsocket is on. */
  heartInterval: number;
  reportSelfMessage: boolean;
  enableForcePushEvent: boolean;
}

export interface HttpSseServerConfig extends HttpServerConfig {
  /** Events kept for Last-Event-ID replay. Default 1000. */
  sseReplayBufferSize: number;
  /** `: ping` comment interval in ms. Default 15000. */
  ssePingInterval: number;
}

export interface WebsocketServerConfig extends AdapterEntryBase, ListenerConfig {
  host: string;
  port: number;
  token: string;
  reportSelfMessage: boolean;
  enableForcePushEvent: boolean;
  heartInterval: number;
  /** Largest accepted frame in bytes. Default 16 MiB. */
  maxPayload: number;
  /** Unsent bytes after which a slow consumer is closed with 1013. Default 16 MiB. */
  maxBufferedBytes: number;
}

export interface HttpClientConfig extends AdapterEntryBase {
  url: string;
  token: string;
  reportSelfMessage: boolean;
  /** Heartbeat meta event interval in ms, 0 = off (NapCat posts none). */
  heartInterval: number;
  /** Per-request timeout in ms. Default 5000. */
  timeout: number;
  /** Requests in flight at once. Default 16. */
  concurrency: number;
  /** Events waiting to be posted before new ones are dropped. Default 10000. */
  queueSize: number;
  /** Attempts per event on network errors and 5xx. Default 3. */
  retries: number;
}

export interface WebsocketClientConfig extends AdapterEntryBase {
  url: string;
  token: string;
  reportSelfMessage: boolean;
  heartInterval: number;
  reconnectInterval: number;
  /** Events kept while disconnected. Default 1000. */
  bufferSize: number;
  /** Oldest buffered event age in ms. Default 60000. */
  bufferMaxAge: number;
  /** Verify the server certificate on wss://. Default true. */
  verifyCertificate: boolean;
  /** Trust this CA file on wss:// besides the system CAs. Absent = system CAs only. */
  tls?: ClientTlsFiles;
  maxPayload: number;
  maxBufferedBytes: number;
}

export interface PluginConfig extends AdapterEntryBase {
  reportSelfMessage: boolean;
  /** Module to load: a path relative to the config file or a package name. */
  module?: string;
  /** Free-form options handed to the plugin as `ctx.options`. */
  options: Record<string, unknown>;
}

// ---- Distributed mode (NATS JetStream, @onebot-gateway/nats) ----

/** How a gateway reaches NATS; shared by the origin's bridge and the edge's backend. */
export interface NatsConnectionConfig {
  /** NATS server URLs (`nats://host:4222`); several = a cluster, the client fails over. */
  servers: string[];
  /** NATS auth token; "" = none. Never logged. */
  token: string;
  /** NATS user and password; "" = none. `pass` is never logged. */
  user: string;
  pass: string;
  /** First subject tokens: `<prefix>.<self_id>.event.…` / `.action`. Default "onebot.v11". */
  subjectPrefix: string;
  /** The JetStream stream that keeps the events. Default "ONEBOT_EVENTS". */
  stream: string;
}

/** `network.natsBridges[]`: on the origin, publishes every event to JetStream and serves actions. */
export interface NatsBridgeConfig extends AdapterEntryBase, NatsConnectionConfig {
  /** Oldest event the stream keeps, in ms; 0 = no age limit. Default 24 h. */
  maxAge: number;
  /** Bytes the stream keeps before the oldest events go. Default 1 GiB. */
  maxBytes: number;
  /** Stream replicas (a cluster: 3). Default 1. */
  replicas: number;
  /** Bytes of events held in memory while NATS is unreachable; past it the oldest are dropped. Default 64 MiB. */
  maxBufferedBytes: number;
}

export interface NatsBackendConfig extends NatsConnectionConfig {
  type: 'nats';
  /** The account this edge serves (the origin's self_id). */
  selfId: number;
  /** Milliseconds an action waits for the origin's answer. Default 30000. */
  actionTimeout: number;
  /** Largest event or action answer accepted from NATS, in bytes; bigger ones are dropped. Default 16 MiB. */
  maxPayload: number;
  [key: string]: unknown;
}

// ---- end of distributed mode ----

export type AdapterKind =
  | 'httpServers'
  | 'httpSseServers'
  | 'websocketServers'
  | 'httpClients'
  | 'websocketClients'
  | 'plugins'
  | 'natsBridges';

export interface AdapterConfigByKind {
  httpServers: HttpServerConfig;
  httpSseServers: HttpSseServerConfig;
  websocketServers: WebsocketServerConfig;
  httpClients: HttpClientConfig;
  websocketClients: WebsocketClientConfig;
  plugins: PluginConfig;
  natsBridges: NatsBridgeConfig;
}

export type AnyAdapterConfig = AdapterConfigByKind[AdapterKind];

/** The `network` section; keys other than the six adapter arrays are kept as they were. */
export type NetworkConfig = { [K in AdapterKind]: AdapterConfigByKind[K][] } & {
  [unknownKey: string]: unknown;
};

export interface SandboxBackendConfig {
  type: 'sandbox';
  [key: string]: unknown;
}

export interface UpstreamBackendConfig {
  type: 'upstream';
  url: string;
  token: string;
  /** Action timeout in ms. Default 30000. */
  timeout: number;
  reconnectInterval: number;
  /** Unsent bytes queued for the upstream before actions are refused with 1429. Default 16 MiB. */
  maxBufferedBytes: number;
  [key: string]: unknown;
}

export interface AdminConfig {
  enable: boolean;
  host: string;
  port: number;
  token: string;
  /** Extra `Host` names served besides loopback ones (DNS-rebinding guard). Default []. */
  allowedHosts: string[];
  /** Serve a token-less admin API on a non-loopback address anyway. Default false. */
  allowInsecure: boolean;
  /** Open connections at once; counted apart from the adapters'. Default 64. */
  maxConnections: number;
  /** Serve the admin API on https:// with these files; absent = plain HTTP. */
  tls?: ServerTlsFiles;
  [key: string]: unknown;
}

/** `gateway.rateLimit`: one token bucket per account in front of the backend (go-cqhttp's `rate-limit`). */
export interface RateLimitConfig {
  /** Default false: only `_rate_limited` calls are paced (one every 500 ms). */
  enable: boolean;
  /** Tokens per second, > 0 (0.5 = one call every 2 s). Default 1. */
  frequency: number;
  /** Bucket size: calls that may leave at once after a quiet time. Default 1. */
  bucket: number;
  /** Actions that take a token (`"*"`: every action). Default: every action that sends something visible. */
  actions: string[];
  /** Calls that may wait before new ones get 1429. Default 1000. */
  maxQueue: number;
  /** Bytes of params (as JSON) that may wait before new calls get 1429. Default 16 MiB. */
  maxQueueBytes: number;
  [key: string]: unknown;
}

export interface GatewaySection {
  backend: SandboxBackendConfig | UpstreamBackendConfig | NatsBackendConfig;
  admin: AdminConfig;
  rateLimit: RateLimitConfig;
  /** pino level. Default "info". */
  logLevel: string;
  [key: string]: unknown;
}

export interface GatewayConfig {
  network: NetworkConfig;
  gateway: GatewaySection;
  [key: string]: unknown;
}
