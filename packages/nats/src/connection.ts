import { connect, type NatsConnection, type NodeConnectionOptions } from '@nats-io/transport-node';
import { OneBotError, redactUrl, type NatsConnectionConfig } from '@onebot-gateway/core';

/** Milliseconds between reconnection attempts; the client adds its own jitter. */
export const NATS_RECONNECT_WAIT_MS = 1_000;

const natsSchemes = new Set(['nats:', 'tls:', 'ws:', 'wss:']);

/**
 * Throws a CONFIG_INVALID OneBotError naming `<path>.servers` unless every
 * entry is a server the client can dial (`nats://host:port` or `host:port`).
 */
export function validateServers(servers: readonly string[], path: string): void {
  if (servers.length === 0) {
    throw new OneBotError(
      'CONFIG_INVALID',
      `${path}.servers: give at least one NATS server, e.g. "nats://127.0.0.1:4222"`,
    );
  }
  for (const server of servers) {
    const withScheme = server.includes('://') ? server : `nats://${server}`;
    let parsed: URL;
    try {
      parsed = new URL(withScheme);
    } catch (error) {
      throw new OneBotError(
        'CONFIG_INVALID',
        `${path}.servers: "${redactUrl(server)}" is not a NATS server address; use nats://host:4222`,
        { cause: error },
      );
    }
    if (!natsSchemes.has(parsed.protocol) || parsed.hostname === '') {
      throw new OneBotError(
        'CONFIG_INVALID',
        `${path}.servers: expected nats://host:port, got "${redactUrl(server)}"`,
      );
    }
  }
}

/** The servers as a log can show them: credentials in a URL are masked. */
export function describeServers(servers: readonly string[]): string {
  return servers.map((server) => redactUrl(server)).join(', ');
}

/**
 * Client options: once connected, the client reconnects by itself forever
 * (an origin must outlive any NATS outage). The first connection is retried
 * by nats-link.ts instead, so `stop()` can end an attempt that never succeeds.
 */
export function connectionOptions(config: NatsConnectionConfig, name: string): NodeConnectionOptions {
  return {
    servers: [...config.servers],
    name,
    ...(config.token ? { token: config.token } : {}),
    ...(config.user ? { user: config.user, pass: config.pass } : {}),
    maxReconnectAttempts: -1,
    reconnectTimeWait: NATS_RECONNECT_WAIT_MS,
  };
}

export function connectNats(config: NatsConnectionConfig, name: string): Promise<NatsConnection> {
  return connect(connectionOptions(config, name));
}
