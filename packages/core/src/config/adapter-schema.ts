import type { AdapterConfigByKind, AdapterKind } from './types.js';
import { eventFilterField } from '../filter/filter-field.js';
import { secret } from './secret-field.js';
import {
  bytes,
  describe,
  count,
  flag,
  integer,
  milliseconds,
  nonEmptyText,
  oneOf,
  port,
  text,
  textList,
  url,
  type ConfigField,
} from './fields.js';
import { clientTlsFiles, record, serverTlsFiles } from './object-fields.js';
import { natsConnectionFields } from './nats-fields.js';

/**
 * The schema of every `network` entry kind: protocol.md section 1's table,
 * plus this project's extra keys with defaults that keep NapCat's behaviour.
 * The mapped type makes the compiler check that every declared field of
 * config/types.ts has a row here.
 */

/** The kinds in the order NapCat writes them: the ones a NapCat file (and the default file) has. */
export const napcatAdapterKinds = [
  'httpServers',
  'httpSseServers',
  'httpClients',
  'websocketServers',
  'websocketClients',
  'plugins',
] as const satisfies readonly AdapterKind[];

/**
 * Every kind: NapCat's six, then this project's distributed mode
 * (`natsBridges`, @onebot-gateway/nats), which the default file leaves out
 * so NapCat can still read it.
 */
export const adapterKinds = [...napcatAdapterKinds, 'natsBridges'] as const satisfies readonly AdapterKind[];

/** Kinds whose entries listen on host:port. */
export const serverKinds = [
  'httpServers',
  'httpSseServers',
  'websocketServers',
] as const satisfies readonly AdapterKind[];

type DeclaredKeys<T> = keyof { [P in keyof T as string extends P ? never : P]: T[P] } & string;
type EntrySchema<K extends AdapterKind> = {
  readonly [P in DeclaredKeys<AdapterConfigByKind[K]>]-?: ConfigField;
};

const MiB = 1024 * 1024;

export const adapterDefaultNames: { readonly [K in AdapterKind]: string } = {
  httpServers: 'http-server',
  httpSseServers: 'http-sse-server',
  websocketServers: 'websocket-server',
  httpClients: 'http-client',
  websocketClients: 'websocket-client',
  plugins: 'plugin',
  natsBridges: 'nats-bridge',
};

const FILTER_HELP =
  'MongoDB-style query over each event in array form (whatever messagePostFormat); only matching events ' +
  'are delivered. Meta events pass unless it names post_type. Absent: every event. Example: ' +
  '{"group_id": {"$in": [123]}, "message": {"$elemMatch": {"type": "at", "data.qq": "10000"}}}';

function commonFields(kind: AdapterKind) {
  return {
    name: describe(
      nonEmptyText(adapterDefaultNames[kind]),
      'Adapter name in logs, status and errors; unique across the whole config.',
    ),
    enable: describe(flag(false), 'Run this entry; false keeps it in the file, stopped.'),
    messagePostFormat: describe(
      oneOf('array', ['array', 'string']),
      'Message format of delivered events: "array" (segments) or "string" (CQ code).',
    ),
    debug: describe(flag(false), "Log this adapter's traffic at info level (tokens redacted)."),
    // Which events this adapter gets; absent: all of them (README "Event filters").
    filter: describe(eventFilterField(), FILTER_HELP),
  };
}

const TOKEN_HELP = 'Access token clients must present; "" = no authentication.';

/** Keys every listening adapter has: who may connect, how many, how fast (protocol.md "Security"). */
function listenerFields() {
  return {
    allowedOrigins: describe(
      textList(),
      'Browser origins (https://app.example) allowed in without a token; "*" = any page. ' +
        "The listener's own page is always allowed.",
    ),
    maxConnections: describe(
      count(256, 1),
      'Open TCP connections at once on this listener; more are refused at once.',
    ),
    requestTimeout: describe(
      milliseconds(10_000, 1),
      'Milliseconds a client has to send its request headers (or WebSocket handshake).',
    ),
    // Absent: plain HTTP / ws://, as NapCat serves.
    tls: describe(
      serverTlsFiles(),
      'Serve TLS (https:// / wss://): {cert, key, ca?} PEM file paths relative to the config file. ' +
        'Absent: plain text. Re-read on reload and SIGHUP.',
    ),
  };
}

const HOST_HELP = 'Address to listen on; 0.0.0.0 or :: for every interface.';
const PORT_HELP = 'Port to listen on (0 = any free port).';
const SELF_HELP = "Also deliver the bot's own messages (message_sent events).";
const FORCE_PUSH_HELP =
  'false: a universal WebSocket connection gets events only after it sent its first frame.';

function httpServerFields(kind: 'httpServers' | 'httpSseServers') {
  return {
    ...commonFields(kind),
    ...listenerFields(),
    host: describe(text('127.0.0.1'), HOST_HELP),
    port: describe(port(3000), PORT_HELP),
    enableCors: describe(
      flag(true),
      'Answer CORS preflights and grant Access-Control-Allow-Origin (any origin with a token, ' +
        'allowedOrigins without one); false sets no CORS header.',
    ),
    enableWebsocket: describe(
      flag(false),
      'Also accept WebSocket connections on this port (the WebSocket server paths and roles).',
    ),
    token: secret(TOKEN_HELP),
    // 16 MiB: any real OneBot call (a 12 MiB image as base64 included); the
    // stores that keep request data are bounded in bytes on their own
    // (http-server README, "Memory").
    maxBodySize: describe(
      bytes(16 * MiB),
      'Largest request body in bytes (413 past it); also the WebSocket frame limit.',
    ),
    // Settings of the optional WebSocket upgrade (enableWebsocket).
    heartInterval: describe(
      milliseconds(30_000),
      'Heartbeat meta event interval in milliseconds (0 = none); WebSocket and SSE connections.',
    ),
    reportSelfMessage: describe(flag(false), SELF_HELP),
    enableForcePushEvent: describe(flag(true), FORCE_PUSH_HELP),
  };
}

const httpServers: EntrySchema<'httpServers'> = httpServerFields('httpServers');

const httpSseServers: EntrySchema<'httpSseServers'> = {
  ...httpServerFields('httpSseServers'),
  sseReplayBufferSize: describe(
    count(1000, 0),
    'Events kept for Last-Event-ID replay after a reconnect (0 = no replay).',
  ),
  ssePingInterval: describe(
    milliseconds(15_000, 1),
    'Milliseconds between ": ping" comments that keep idle streams open through proxies.',
  ),
};

const websocketServers: EntrySchema<'websocketServers'> = {
  ...commonFields('websocketServers'),
  ...listenerFields(),
  host: describe(text('127.0.0.1'), HOST_HELP),
  port: describe(port(3001), PORT_HELP),
  token: secret(TOKEN_HELP),
  reportSelfMessage: describe(flag(false), SELF_HELP),
  enableForcePushEvent: describe(flag(true), FORCE_PUSH_HELP),
  heartInterval: describe(
    milliseconds(30_000),
    'Heartbeat meta event interval in milliseconds (0 = none); also the ping interval (30 s when 0).',
  ),
  maxPayload: describe(
    bytes(16 * MiB),
    'Largest frame accepted, in bytes; a bigger one closes the connection with 1009.',
  ),
  maxBufferedBytes: describe(
    bytes(16 * MiB),
    'Unsent bytes after which a slow client is disconnected with 1013.',
  ),
};

const httpClients: EntrySchema<'httpClients'> = {
  ...commonFields('httpClients'),
  url: describe(
    url('http://localhost:8080', ['http:', 'https:'], 'whenEnabled'),
    'Where events are POSTed: an http:// or https:// URL (path and query kept).',
  ),
  token: secret('When set, sent as "Authorization: Bearer <token>" and used to sign X-Signature.'),
  reportSelfMessage: describe(flag(false), SELF_HELP),
  heartInterval: describe(milliseconds(0), 'Heartbeat meta event interval in milliseconds (0 = none).'),
  timeout: describe(
    milliseconds(5000, 1),
    'Milliseconds one POST attempt may take, connecting and the whole answer included.',
  ),
  concurrency: describe(count(16, 1), 'POSTs in flight at once (and pooled keep-alive connections).'),
  queueSize: describe(count(10_000, 1), 'Events waiting for a free slot; more are dropped.'),
  retries: describe(count(3, 0), 'Attempts in total per event, the first included (0 or 1 = no retry).'),
};

const websocketClients: EntrySchema<'websocketClients'> = {
  ...commonFields('websocketClients'),
  // ws accepts http(s):// too (and NapCat users write it), so those load.
  url: describe(
    url('ws://localhost:8082', ['ws:', 'wss:', 'http:', 'https:'], 'whenEnabled'),
    'Where to connect: ws:// or wss:// (http:// and https:// mean the same).',
  ),
  token: secret('When set, sent as "Authorization: Bearer <token>" on the handshake.'),
  reportSelfMessage: describe(flag(false), SELF_HELP),
  heartInterval: describe(
    milliseconds(30_000),
    'Heartbeat meta event interval in milliseconds while connected (0 = none); also the ping interval.',
  ),
  reconnectInterval: describe(
    milliseconds(5000, 1),
    'Milliseconds between connection attempts, plus up to 10 % jitter.',
  ),
  bufferSize: describe(
    count(1000, 0),
    'Events kept while disconnected; when full the oldest is dropped (0 = keep none).',
  ),
  bufferMaxAge: describe(
    milliseconds(60_000),
    'Milliseconds a buffered event stays deliverable; older ones are dropped.',
  ),
  verifyCertificate: describe(
    flag(true),
    'false accepts a self-signed or otherwise untrusted certificate on wss://.',
  ),
  tls: describe(
    clientTlsFiles(),
    '{ca}: a PEM file of CA certificates to trust on wss:// besides the system ones.',
  ),
  maxPayload: describe(
    bytes(16 * MiB),
    'Largest frame accepted from the server, in bytes; bigger closes with 1009 and reconnects.',
  ),
  maxBufferedBytes: describe(
    bytes(16 * MiB),
    'Unsent bytes after which the connection is closed with 1013 and reconnected.',
  ),
};

const plugins: EntrySchema<'plugins'> = {
  ...commonFields('plugins'),
  reportSelfMessage: describe(flag(false), SELF_HELP),
  module: describe(
    text(),
    'What to load: a package name or a path relative to the config file; absent: plugins/<name>.',
  ),
  options: describe(record(), 'Plain data handed to the plugin as ctx.options.'),
};

// ---- Distributed mode (NATS JetStream): the origin's bridge ----

const natsBridges: EntrySchema<'natsBridges'> = {
  ...commonFields('natsBridges'),
  ...natsConnectionFields(),
  maxAge: describe(
    milliseconds(24 * 60 * 60 * 1000),
    'Oldest event the stream keeps, in milliseconds (0 = no age limit).',
  ),
  maxBytes: describe(bytes(1024 * MiB), 'Bytes the stream keeps before the oldest events go.'),
  replicas: describe(integer(1, { min: 1, max: 5 }), 'Stream replicas (3 on a 3-node cluster).'),
  maxBufferedBytes: describe(
    bytes(64 * MiB),
    'Bytes of events held in memory while NATS is unreachable; past it the oldest are dropped and counted.',
  ),
};

// ---- end of distributed mode ----

export const adapterSchemas: { readonly [K in AdapterKind]: EntrySchema<K> } = {
  httpServers,
  httpSseServers,
  websocketServers,
  httpClients,
  websocketClients,
  plugins,
  natsBridges,
};
