import type { AdapterContext, MessageFormat } from '@onebot-gateway/core';
import type { FakeBackend } from '../fake-backend.js';

/**
 * How a bot framework authenticates one request or stream:
 * - `none`: nothing sent
 * - `header`: the whole `Authorization` header value, e.g. `Bearer abc`, `Token undefined`, `abc`
 * - `query`: `?access_token=<token>` (an empty string sends `access_token=`)
 */
export type AuthInput =
  { kind: 'none' } | { kind: 'header'; value: string } | { kind: 'query'; token: string };

/** The server refused the request or handshake (HTTP status, no socket, no answer body needed). */
export interface Rejected {
  rejected: true;
  status: number;
}

/** One answer as the bot saw it; `httpStatus` when the transport has one (HTTP API). */
export interface Answered {
  rejected: false;
  response: Record<string, unknown>;
  httpStatus?: number;
}

export type CallOutcome = Answered | Rejected;

/** A stream of events as the bot receives them, in order. */
export interface EventStream {
  /** The next event (parsed JSON); rejects after `timeoutMs` (default 3000) with a clear message. */
  next(timeoutMs?: number): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * What the suite configures on the adapter for one test. Merge these into the
 * adapter's own config (port 0, url from `receiverUrl`, ...).
 */
export interface ConformanceSettings {
  token: string;
  messagePostFormat: MessageFormat;
  reportSelfMessage: boolean;
  /** ms; 0 = no heartbeat meta events. */
  heartInterval: number;
  /** The entry's `filter` (MongoDB-style query); absent: every event. */
  filter?: Record<string, unknown>;
}

export interface TargetSetup {
  backend: FakeBackend;
  /** `backend.context(name)`: hand it to the adapter factory. */
  context: AdapterContext;
  settings: ConformanceSettings;
  /** Client kinds: where the suite's receiving server listens (http:// or ws://). */
  receiverUrl?: string;
}

/**
 * How a bot talks to the adapter under test. Server and in-process kinds
 * implement `callAction`/`openEvents`; client kinds leave them out (the suite's
 * receiver plays the bot).
 */
export interface ConformanceTarget {
  /** Send one raw request body/frame (it may be malformed on purpose) with the given auth. */
  callAction?(body: string, auth: AuthInput): Promise<CallOutcome>;
  /** Open an event stream; resolves once events published from now on will reach it. */
  openEvents?(auth: AuthInput): Promise<EventStream | Rejected>;
  /** Stop the adapter; the suite calls it after each test. */
  stop(): Promise<void>;
}

/**
 * - `server`: the adapter listens; the target supplies callAction/openEvents.
 * - `ws-client`: the adapter connects to the suite's WebSocket receiver (reverse WS).
 * - `http-client`: the adapter POSTs events to the suite's HTTP receiver.
 * - `in-process`: like `server` but without a transport (plugin); auth is `none`.
 */
export type ConformanceKind = 'server' | 'ws-client' | 'http-client' | 'in-process';

export interface ConformanceCapabilities {
  /** The adapter serves actions (callAction, or the ws receiver for ws-client). */
  actions: boolean;
  /** The adapter delivers events. */
  events: boolean;
  /**
   * - `server`: rejects a missing token with 401 and a wrong one with 403, accepts header or access_token
   * - `client`: sends `Authorization: Bearer <token>` only when a token is set (http-client also signs)
   * - `none`: no auth (plugin)
   */
  auth: 'server' | 'client' | 'none';
  /** The lifecycle event the stream starts with; omit when it has none. */
  lifecycle?: 'connect' | 'enable';
  /** Sends heartbeat meta events every heartInterval. */
  heartbeat: boolean;
  /** http-client: `X-Signature: sha1=<HMAC>` over the exact body bytes when a token is set. */
  signature?: boolean;
}

export interface ConformanceOptions {
  /** Shown in the describe block, e.g. "ws-server". */
  name: string;
  kind: ConformanceKind;
  capabilities: ConformanceCapabilities;
  createTarget(setup: TargetSetup): Promise<ConformanceTarget>;
  /** Per-event wait in ms. Default 3000. */
  timeoutMs?: number;
}
