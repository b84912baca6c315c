import { type AdminConfig } from '@onebot-gateway/core';
import { isLoopbackAddress } from '@onebot-gateway/core/internal';

/**
 * What a listener without a token exposes when it listens beyond this
 * machine (protocol.md "Security"): the one place that decides when the
 * gateway warns, and when the admin API refuses to start. Sentences name the
 * listener, its address and the key to set; never a token.
 */

export interface ListenerExposure {
  /** How the log names it: `api (httpServers)`, `admin API`. */
  what: string;
  /** Configured host: the decision is about where it listens, not how it was reached. */
  host: string;
  /** `host:port` as bound (or configured). */
  address: string;
  token: string;
  /** The config key that sets its token. */
  tokenKey: string;
  /** What anyone reaching it could do. */
  power: string;
}

/** True when it needs a warning: no token, and an address other machines can reach. */
export function isExposed(listener: Pick<ListenerExposure, 'host' | 'token'>): boolean {
  return listener.token === '' && !isLoopbackAddress(listener.host);
}

export function exposureWarning(listener: ListenerExposure): string | undefined {
  if (!isExposed(listener)) return undefined;
  return (
    `${listener.what} listens on ${listener.address} without a token: anyone who can reach this address ` +
    `can ${listener.power}; set ${listener.tokenKey} (or listen on 127.0.0.1)`
  );
}

/** Adapter kinds that listen, and what a client of each can do. */
const listenerPowers: Record<string, string> = {
  httpServers: 'call every action as the bot',
  httpSseServers: 'read every event and call every action as the bot',
  websocketServers: 'read every event and call every action as the bot',
};

/** The start-time warning for an adapter entry; undefined for clients, tokens and loopback. */
export function adapterExposureWarning(
  kind: string,
  config: { name: string; host?: unknown; token?: unknown },
  address: string | undefined,
): string | undefined {
  const power = listenerPowers[kind];
  if (power === undefined || typeof config.host !== 'string' || typeof config.token !== 'string') {
    return undefined;
  }
  return exposureWarning({
    what: `${config.name} (${kind})`,
    host: config.host,
    address: address ?? config.host,
    token: config.token,
    tokenKey: `"token" in network.${kind} entry "${config.name}"`,
    power,
  });
}

// Everything the admin API serves: a token-less one hands all of it to whoever reaches it.
const adminPower =
  'rewrite the config file (adapters, tokens, the backend), call any action as the bot, read the event ' +
  'and log streams, see every adapter and backend status and drive the sandbox';

function adminAddress(config: Pick<AdminConfig, 'host' | 'port'>): string {
  return `${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
}

/**
 * Why a token-less admin API on a non-loopback address must not start, or
 * undefined when it may (token set, loopback, or `allowInsecure`).
 */
export function adminExposureRefusal(
  config: Pick<AdminConfig, 'host' | 'port' | 'token' | 'allowInsecure'>,
): string | undefined {
  if (config.allowInsecure || !isExposed(config)) return undefined;
  return (
    `admin API not started: it would listen on ${adminAddress(config)} without a token, open to anyone who ` +
    `can reach that address; set gateway.admin.token (or listen on 127.0.0.1), or set ` +
    `gateway.admin.allowInsecure: true to accept that, then restart`
  );
}

/** The start-time warning for an admin API that runs exposed (`allowInsecure: true`). */
export function adminExposureWarning(
  config: Pick<AdminConfig, 'host' | 'port' | 'token'>,
  address: string,
): string | undefined {
  return exposureWarning({
    what: 'admin API',
    host: config.host,
    address,
    token: config.token,
    tokenKey: 'gateway.admin.token',
    power: adminPower,
  });
}
