import { OneBotError, redactUrl, type ConfigProblem, type UpstreamBackendConfig } from '@onebot-gateway/core';
import {
  bytes,
  configInvalidError,
  count,
  describe,
  milliseconds,
  resolveFields,
  upstreamFields,
  type ConfigField,
} from '@onebot-gateway/core/internal';

/** Settings the relay reads; the rest of the `gateway.backend` entry is ignored. */
export interface UpstreamOptions {
  /** Forward (universal) WebSocket URL of the OneBot 11 implementation. */
  url: string;
  /** Sent as `Authorization: Bearer <token>` when not empty. */
  token: string;
  /** Milliseconds an action may wait for its answer before it fails. */
  timeout: number;
  /** Milliseconds between reconnection attempts (a little jitter is added). */
  reconnectInterval: number;
  /** Actions waiting for an answer at once before new ones are refused (1429). */
  maxPendingActions: number;
  /** WebSocket keep-alive ping interval in ms; a peer that misses two is dropped. */
  pingInterval: number;
  /**
   * Bytes queued for the upstream and not sent yet past which actions are
   * refused (1429); an upstream that leaves queued bytes unsent for a whole
   * ping interval is dropped and reconnected.
   */
  maxBufferedBytes: number;
  /** Largest frame accepted from the upstream; a bigger one closes the connection (1009), which reconnects. */
  maxPayload: number;
}

export const upstreamDefaults: Omit<UpstreamOptions, 'url'> & { url: string } = {
  url: 'ws://127.0.0.1:3001',
  token: '',
  timeout: 30_000,
  reconnectInterval: 5_000,
  maxPendingActions: 10_000,
  pingInterval: 30_000,
  maxBufferedBytes: 16 * 1024 * 1024,
  // Above the adapters' 16 MiB client-frame default: an event the account
  // receives (a file as base64) is not ours to refuse.
  maxPayload: 50 * 1024 * 1024,
};

/**
 * The relay's keys of `gateway.backend`: core's (the ones the config file
 * documents, validated when the file loads) plus this package's own tuning
 * keys, with one set of defaults for both.
 */
export const upstreamConfigFields: { readonly [key: string]: ConfigField } = {
  ...upstreamFields,
  maxPendingActions: describe(
    count(upstreamDefaults.maxPendingActions, 1),
    'Actions waiting for an answer at once; more are refused with 1429.',
  ),
  pingInterval: describe(
    milliseconds(upstreamDefaults.pingInterval, 1),
    'WebSocket ping interval in milliseconds; an upstream that misses two (or reads nothing for one) is dropped and reconnected.',
  ),
  maxPayload: describe(
    bytes(upstreamDefaults.maxPayload),
    'Largest frame accepted from the upstream, in bytes; a bigger one closes the connection (1009), which reconnects.',
  ),
};

/** Everything but `url`, whose checks (and the wording of their errors) are `validateUpstreamUrl`'s. */
const settingsFields = Object.fromEntries(
  Object.entries(upstreamConfigFields).filter(([key]) => key !== 'url'),
);

function resolveFieldsOf(config: Record<string, unknown>, problems: ConfigProblem[]): UpstreamOptions {
  const resolved = resolveFields(config, settingsFields, 'gateway.backend', problems);
  return {
    url:
      typeof resolved['url'] === 'string' && resolved['url'] !== '' ? resolved['url'] : upstreamDefaults.url,
    token: resolved['token'] as string,
    timeout: resolved['timeout'] as number,
    reconnectInterval: resolved['reconnectInterval'] as number,
    maxPendingActions: resolved['maxPendingActions'] as number,
    pingInterval: resolved['pingInterval'] as number,
    maxBufferedBytes: resolved['maxBufferedBytes'] as number,
    maxPayload: resolved['maxPayload'] as number,
  };
}

/**
 * Fill defaults for a partial `gateway.backend` entry, through the same
 * field table the validation uses. A value the table refuses takes its
 * default here (the gateway has validated the entry already; a direct
 * caller who wants the error calls `validateUpstreamConfig`).
 */
export function resolveUpstreamOptions(
  config: Partial<UpstreamBackendConfig> & Partial<UpstreamOptions>,
): UpstreamOptions {
  const { url: _url, ...settings } = config;
  return { ...resolveFieldsOf(settings, []), url: resolveUrl(config.url) };
}

function resolveUrl(url: unknown): string {
  return typeof url === 'string' && url !== '' ? url : upstreamDefaults.url;
}

/** Throws a CONFIG_INVALID OneBotError naming `gateway.backend.url` unless it is a ws:// or wss:// URL. */
export function validateUpstreamUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new OneBotError(
      'CONFIG_INVALID',
      `gateway.backend.url: "${redactUrl(url)}" is not a URL; use ws://host:port`,
      { cause: error },
    );
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
    throw new OneBotError(
      'CONFIG_INVALID',
      `gateway.backend.url: expected a ws:// or wss:// URL, got "${redactUrl(url)}"`,
    );
  }
}

/**
 * Everything `start()` would refuse, checked without connecting: lets the
 * gateway reject a hot-reloaded `gateway.backend` that the next start would
 * fail on. Returns the options with defaults filled in.
 */
export function validateUpstreamConfig(
  config: Partial<UpstreamBackendConfig> & Partial<UpstreamOptions>,
): UpstreamOptions {
  const url = resolveUrl(config.url);
  validateUpstreamUrl(url);
  const { url: _url, ...settings } = config;
  const problems: ConfigProblem[] = [];
  const options = resolveFieldsOf(settings, problems);
  if (problems.length > 0) throw configInvalidError(undefined, problems);
  return { ...options, url };
}
