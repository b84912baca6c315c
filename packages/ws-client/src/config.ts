import type { WebsocketClientConfig } from '@onebot-gateway/core';

/** A `websocketClients` entry plus the keys only this package reads. */
export interface WsClientOptions extends WebsocketClientConfig {
  /** A server that accepts TCP but never finishes the upgrade is given up on after this many ms. Default 10000. */
  handshakeTimeout: number;
}

/** Defaults of a `websocketClients` entry (protocol.md section 1 plus this project's extra keys). */
export const wsClientDefaults: WsClientOptions = {
  name: 'websocket-client',
  enable: false,
  url: 'ws://localhost:8082',
  token: '',
  messagePostFormat: 'array',
  reportSelfMessage: false,
  heartInterval: 30_000,
  reconnectInterval: 5000,
  bufferSize: 1000,
  bufferMaxAge: 60_000,
  verifyCertificate: true,
  maxPayload: 50 * 1024 * 1024,
  maxBufferedBytes: 16 * 1024 * 1024,
  handshakeTimeout: 10_000,
  debug: false,
};

/**
 * Fill the defaults of a partial entry. The gateway hands us entries already
 * resolved by core's config loader; this keeps the factory usable on its own
 * (tests, embedding) with a partial object.
 */
export function resolveWsClientConfig(partial: Partial<WsClientOptions>): WsClientOptions {
  const config: WsClientOptions = { ...wsClientDefaults };
  for (const [key, value] of Object.entries(partial)) {
    if (value !== undefined) config[key] = value;
  }
  // Core's loader does not know this package's own key, so coerce it here ("3000" -> 3000).
  const handshakeTimeout = Number(config.handshakeTimeout);
  config.handshakeTimeout = Number.isFinite(handshakeTimeout) && handshakeTimeout > 0 ? handshakeTimeout : wsClientDefaults.handshakeTimeout;
  return config;
}
