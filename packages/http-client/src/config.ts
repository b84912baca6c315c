import { resolveAdapterConfig, type HttpClientConfig, type PartialAdapterConfig } from '@onebot-gateway/core';
import { httpClientConfigFields } from './config-fields.js';

/** An `httpClients` entry plus the keys only this package reads. */
export interface HttpClientOptions extends HttpClientConfig {
  /** The whole of stop(): draining queued events, aborting the rest and posting disable. Default 2000 ms. */
  stopTimeout: number;
  /** On a NATS edge: events from a JetStream durable consumer, acknowledged after each 2xx. Default false. */
  durable: boolean;
  /** The durable consumer's name; "" = derived from the adapter's name. */
  durableName: string;
}

export const DEFAULT_STOP_TIMEOUT_MS = 2000;

/**
 * The entry with every default filled in and every value coerced by core's
 * config schema (protocol.md section 1), this package's own key
 * (config-fields.ts) included.
 */
export function resolveHttpClientConfig(
  partial: PartialAdapterConfig<'httpClients'> = {},
): HttpClientOptions {
  return resolveAdapterConfig('httpClients', partial, {
    extraFields: httpClientConfigFields,
  }) as HttpClientOptions;
}
