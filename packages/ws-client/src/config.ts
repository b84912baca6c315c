import {
  resolveAdapterConfig,
  type PartialAdapterConfig,
  type WebsocketClientConfig,
} from '@onebot-gateway/core';

/** A `websocketClients` entry plus the keys only this package reads. */
export interface WsClientOptions extends WebsocketClientConfig {
  /** A server that accepts TCP but never finishes the upgrade is given up on after this many ms. Default 10000. */
  handshakeTimeout: number;
}

export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;

/**
 * The entry with every default filled in and every value coerced by core's
 * config schema (protocol.md section 1), plus this package's own key, which
 * core keeps as an unknown key and leaves to us.
 */
export function resolveWsClientConfig(
  partial: PartialAdapterConfig<'websocketClients'> = {},
): WsClientOptions {
  const config = resolveAdapterConfig('websocketClients', partial) as WsClientOptions;
  const handshakeTimeout = Number(config.handshakeTimeout ?? DEFAULT_HANDSHAKE_TIMEOUT_MS);
  config.handshakeTimeout =
    Number.isFinite(handshakeTimeout) && handshakeTimeout > 0
      ? handshakeTimeout
      : DEFAULT_HANDSHAKE_TIMEOUT_MS;
  return config;
}
