import {
  resolveAdapterConfig,
  type PartialAdapterConfig,
  type WebsocketClientConfig,
} from '@onebot-gateway/core';
import { wsClientConfigFields } from './config-fields.js';

/** A `websocketClients` entry plus the keys only this package reads. */
export interface WsClientOptions extends WebsocketClientConfig {
  /** A server that accepts TCP but never finishes the upgrade is given up on after this many ms. Default 10000. */
  handshakeTimeout: number;
  /** On a NATS edge: events from a JetStream durable consumer, acknowledged once a pong confirms the write. Default false. */
  durable: boolean;
  /** The durable consumer's name; "" = derived from the adapter's name. */
  durableName: string;
}

export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;

/**
 * The entry with every default filled in and every value coerced by core's
 * config schema (protocol.md section 1), this package's own key
 * (config-fields.ts) included.
 */
export function resolveWsClientConfig(
  partial: PartialAdapterConfig<'websocketClients'> = {},
): WsClientOptions {
  return resolveAdapterConfig('websocketClients', partial, {
    extraFields: wsClientConfigFields,
  }) as WsClientOptions;
}
