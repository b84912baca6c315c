import { OneBotError, redactUrl, type UpstreamBackendConfig } from '@onebot-gateway/core';

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
  // The same limit the WebSocket adapters put on client frames by default.
  maxPayload: 50 * 1024 * 1024,
};

function positiveNumber(value: unknown, fallback: number): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) && number > 0 ? number : fallback;
}

/** Fill defaults for a partial `gateway.backend` entry (core validates it first in the gateway). */
export function resolveUpstreamOptions(
  config: Partial<UpstreamBackendConfig> & Partial<UpstreamOptions>,
): UpstreamOptions {
  return {
    url: typeof config.url === 'string' && config.url !== '' ? config.url : upstreamDefaults.url,
    token: config.token === undefined || config.token === null ? '' : String(config.token),
    timeout: positiveNumber(config.timeout, upstreamDefaults.timeout),
    reconnectInterval: positiveNumber(config.reconnectInterval, upstreamDefaults.reconnectInterval),
    maxPendingActions: positiveNumber(config.maxPendingActions, upstreamDefaults.maxPendingActions),
    pingInterval: positiveNumber(config.pingInterval, upstreamDefaults.pingInterval),
    maxBufferedBytes: positiveNumber(config.maxBufferedBytes, upstreamDefaults.maxBufferedBytes),
    maxPayload: positiveNumber(config.maxPayload, upstreamDefaults.maxPayload),
  };
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
  const options = resolveUpstreamOptions(config);
  validateUpstreamUrl(options.url);
  return options;
}
