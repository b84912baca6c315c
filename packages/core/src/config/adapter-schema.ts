import type { AdapterConfigByKind, AdapterKind } from './types.js';
import { eventFilterField } from '../filter/filter-field.js';
import {
  bytes,
  clientTlsFiles,
  count,
  flag,
  integer,
  milliseconds,
  nonEmptyText,
  oneOf,
  port,
  record,
  serverTlsFiles,
  text,
  textList,
  url,
  type ConfigField,
} from './fields.js';
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

function commonFields(kind: AdapterKind) {
  return {
    name: nonEmptyText(adapterDefaultNames[kind]),
    enable: flag(false),
    messagePostFormat: oneOf('array', ['array', 'string']),
    debug: flag(false),
    // Which events this adapter gets; absent: all of them (README "Event filters").
    filter: eventFilterField(),
  };
}

/** Keys every listening adapter has: who may connect, how many, how fast (protocol.md "Security"). */
function listenerFields() {
  return {
    allowedOrigins: textList(),
    maxConnections: count(256, 1),
    requestTimeout: milliseconds(10_000, 1),
    // Absent: plain HTTP / ws://, as NapCat serves.
    tls: serverTlsFiles(),
  };
}

function httpServerFields(kind: 'httpServers' | 'httpSseServers') {
  return {
    ...commonFields(kind),
    ...listenerFields(),
    host: text('127.0.0.1'),
    port: port(3000),
    enableCors: flag(true),
    enableWebsocket: flag(false),
    token: text(''),
    // 16 MiB: any real OneBot call (a 12 MiB image as base64 included); the
    // stores that keep request data are bounded in bytes on their own
    // (http-server README, "Memory").
    maxBodySize: bytes(16 * MiB),
    // Settings of the optional WebSocket upgrade (enableWebsocket).
    heartInterval: milliseconds(30_000),
    reportSelfMessage: flag(false),
    enableForcePushEvent: flag(true),
  };
}

const httpServers: EntrySchema<'httpServers'> = httpServerFields('httpServers');

const httpSseServers: EntrySchema<'httpSseServers'> = {
  ...httpServerFields('httpSseServers'),
  sseReplayBufferSize: count(1000, 0),
  ssePingInterval: milliseconds(15_000, 1),
};

const websocketServers: EntrySchema<'websocketServers'> = {
  ...commonFields('websocketServers'),
  ...listenerFields(),
  host: text('127.0.0.1'),
  port: port(3001),
  token: text(''),
  reportSelfMessage: flag(false),
  enableForcePushEvent: flag(true),
  heartInterval: milliseconds(30_000),
  maxPayload: bytes(16 * MiB),
  maxBufferedBytes: bytes(16 * MiB),
};

const httpClients: EntrySchema<'httpClients'> = {
  ...commonFields('httpClients'),
  url: url('http://localhost:8080', ['http:', 'https:'], 'whenEnabled'),
  token: text(''),
  reportSelfMessage: flag(false),
  heartInterval: milliseconds(0),
  timeout: milliseconds(5000, 1),
  concurrency: count(16, 1),
  queueSize: count(10_000, 1),
  retries: count(3, 0),
  // Distributed mode: only on an edge (gateway.backend.type "nats").
  durable: flag(false),
  durableName: text(''),
};

const websocketClients: EntrySchema<'websocketClients'> = {
  ...commonFields('websocketClients'),
  // ws accepts http(s):// too (and NapCat users write it), so those load.
  url: url('ws://localhost:8082', ['ws:', 'wss:', 'http:', 'https:'], 'whenEnabled'),
  token: text(''),
  reportSelfMessage: flag(false),
  heartInterval: milliseconds(30_000),
  reconnectInterval: milliseconds(5000, 1),
  bufferSize: count(1000, 0),
  bufferMaxAge: milliseconds(60_000),
  verifyCertificate: flag(true),
  tls: clientTlsFiles(),
  maxPayload: bytes(16 * MiB),
  maxBufferedBytes: bytes(16 * MiB),
  // Distributed mode: only on an edge (gateway.backend.type "nats").
  durable: flag(false),
  durableName: text(''),
};

const plugins: EntrySchema<'plugins'> = {
  ...commonFields('plugins'),
  reportSelfMessage: flag(false),
  module: text(),
  options: record(),
};

// ---- Distributed mode (NATS JetStream): the origin's bridge ----

const natsBridges: EntrySchema<'natsBridges'> = {
  ...commonFields('natsBridges'),
  ...natsConnectionFields(),
  maxAge: milliseconds(24 * 60 * 60 * 1000),
  maxBytes: bytes(1024 * MiB),
  replicas: integer(1, { min: 1, max: 5 }),
  maxBufferedBytes: bytes(64 * MiB),
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
