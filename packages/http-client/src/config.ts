import { resolveAdapterConfig, type HttpClientConfig, type PartialAdapterConfig } from '@onebot-gateway/core';

/** An `httpClients` entry plus the keys only this package reads. */
export interface HttpClientOptions extends HttpClientConfig {
  /** The whole of stop(): draining queued events, aborting the rest and posting disable. Default 2000 ms. */
  stopTimeout: number;
}

export const DEFAULT_STOP_TIMEOUT_MS = 2000;

/**
 * The entry with every default filled in and every value coerced by core's
 * config schema (protocol.md section 1), plus this package's own key, which
 * core keeps as an unknown key and leaves to us.
 */
export function resolveHttpClientConfig(
  partial: PartialAdapterConfig<'httpClients'> = {},
): HttpClientOptions {
  const config = resolveAdapterConfig('httpClients', partial) as HttpClientOptions;
  const stopTimeout = Number(config.stopTimeout ?? DEFAULT_STOP_TIMEOUT_MS);
  config.stopTimeout =
    Number.isFinite(stopTimeout) && stopTimeout >= 0 ? stopTimeout : DEFAULT_STOP_TIMEOUT_MS;
  return config;
}
