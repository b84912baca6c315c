import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger, NatsConnectionConfig } from '@onebot-gateway/core';
import { connectNats, describeServers, NATS_RECONNECT_WAIT_MS } from './connection.js';

export type NatsLinkState = 'stopped' | 'connecting' | 'connected' | 'reconnecting';

export interface NatsLink {
  /** Resolves after the first attempt, made or failed: a gateway starts degraded rather than not at all. */
  start(): Promise<void>;
  /** Drains and closes the connection, ends any attempt; resolves when nothing is left. */
  stop(): Promise<void>;
  /** The connection while it is up. */
  connection(): NatsConnection | undefined;
  state(): NatsLinkState;
  lastError(): string | undefined;
  reconnects(): number;
}

export interface NatsLinkOptions {
  config: NatsConnectionConfig;
  /** Shown to the NATS server as the client's name (monitoring, `nats server report connections`). */
  clientName: string;
  log: Logger;
  /** Runs on every (re)connection, before the state says "connected"; a rejection is logged and retried. */
  onConnected(connection: NatsConnection): Promise<void>;
  /** Runs once the connection is ready (after `onConnected`), e.g. to send what waited meanwhile. */
  onReady?(): void;
  /** Runs when the connection drops (the client then reconnects by itself). */
  onDisconnected?(): void;
}

/**
 * One NATS connection kept up: first attempts retried on a timer (the
 * client's own reconnect only starts after a first success), then the
 * client reconnects forever. Logs the first failure of a streak and the
 * recovery, not every retry.
 */
/** How long `stop()` lets a drain finish before it closes the connection outright. */
export const NATS_DRAIN_TIMEOUT_MS = 2_000;

/** drain() lets replies and acknowledgements in flight go out; a connection that is down can't, so close(). */
async function closeGently(connection: NatsConnection): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, NATS_DRAIN_TIMEOUT_MS);
  });
  await Promise.race([connection.drain().catch(() => undefined), timedOut]);
  clearTimeout(timer);
  if (!connection.isClosed()) await connection.close().catch(() => undefined);
}

export function createNatsLink(options: NatsLinkOptions): NatsLink {
  const { config, log } = options;
  const servers = describeServers(config.servers);
  let connection: NatsConnection | undefined;
  let state: NatsLinkState = 'stopped';
  let lastError: string | undefined;
  let reconnects = 0;
  let failures = 0;
  let retryTimer: NodeJS.Timeout | undefined;
  let ready = false;
  let firstAttemptDone: (() => void) | undefined;

  function settleFirstAttempt(): void {
    const done = firstAttemptDone;
    firstAttemptDone = undefined;
    done?.();
  }

  function noteFailure(message: string): void {
    lastError = message;
    failures += 1;
    log[failures === 1 ? 'warn' : 'debug'](
      { servers },
      `NATS ${servers}: ${message}; retrying every ${NATS_RECONNECT_WAIT_MS} ms`,
    );
  }

  async function prepare(current: NatsConnection): Promise<void> {
    try {
      await options.onConnected(current);
      if (connection !== current) return;
      ready = true;
      state = 'connected';
      failures = 0;
      lastError = undefined;
      options.onReady?.();
    } catch (error) {
      if (connection !== current) return;
      noteFailure((error as Error).message);
      // The set-up (a stream, a consumer) failed on a live connection: try it again shortly.
      retryTimer = setTimeout(() => {
        retryTimer = undefined;
        if (connection === current) void prepare(current);
        // The connection closed for good meanwhile (its close handler found this timer set): start over.
        else if (connection === undefined && state !== 'stopped') attempt();
      }, NATS_RECONNECT_WAIT_MS);
    }
  }

  async function watch(current: NatsConnection): Promise<void> {
    for await (const status of current.status()) {
      if (connection !== current) return;
      if (status.type === 'disconnect') {
        ready = false;
        state = 'reconnecting';
        noteFailure(`disconnected from ${redact(status.server)}`);
        options.onDisconnected?.();
      } else if (status.type === 'reconnect') {
        reconnects += 1;
        log.info({ servers }, `reconnected to NATS ${redact(status.server)}`);
        void prepare(current);
      } else if (status.type === 'error') {
        lastError = status.error.message;
      }
    }
  }

  function redact(server: string): string {
    return describeServers([server]);
  }

  function attempt(): void {
    state = connection ? state : 'connecting';
    connectNats(config, options.clientName).then(
      async (current) => {
        if (state === 'stopped') {
          await current.close().catch(() => undefined);
          return;
        }
        connection = current;
        log.info({ servers }, `connected to NATS ${servers}`);
        void watch(current);
        void current.closed().then(() => {
          if (connection !== current) return;
          // Closed for good (not a reconnect): start over, unless stopping.
          connection = undefined;
          ready = false;
          if (state !== 'stopped') {
            state = 'connecting';
            scheduleAttempt();
          }
        });
        await prepare(current);
        settleFirstAttempt();
      },
      (error: unknown) => {
        if (state === 'stopped') return;
        noteFailure((error as Error).message);
        settleFirstAttempt();
        scheduleAttempt();
      },
    );
  }

  function scheduleAttempt(): void {
    if (retryTimer || state === 'stopped') return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      attempt();
    }, NATS_RECONNECT_WAIT_MS);
  }

  return {
    async start() {
      if (state !== 'stopped') return;
      state = 'connecting';
      const first = new Promise<void>((resolve) => {
        firstAttemptDone = resolve;
      });
      attempt();
      await first;
    },
    async stop() {
      if (state === 'stopped') return;
      state = 'stopped';
      ready = false;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = undefined;
      settleFirstAttempt();
      const current = connection;
      connection = undefined;
      if (current && !current.isClosed()) await closeGently(current);
    },
    connection: () => (ready ? connection : undefined),
    state: () => state,
    lastError: () => lastError,
    reconnects: () => reconnects,
  };
}
