import type { HttpClientConfig } from '@onebot-gateway/core';

/** An `httpClients` entry plus the keys only this package reads. */
export interface HttpClientOptions extends HttpClientConfig {
  /** How long stop() waits for queued events (and then for the disable post) before dropping them. Default 2000 ms. */
  stopTimeout: number;
}

/** Defaults of an `httpClients` entry (protocol.md section 1 plus this project's extra keys). */
export const httpClientDefaults: HttpClientOptions = {
  name: 'http-client',
  enable: false,
  url: 'http://localhost:8080',
  token: '',
  messagePostFormat: 'array',
  reportSelfMessage: false,
  heartInterval: 0,
  timeout: 5000,
  concurrency: 16,
  queueSize: 10_000,
  retries: 3,
  stopTimeout: 2000,
  debug: false,
};

/**
 * Fill the defaults of a partial entry. The gateway hands us entries already
 * resolved by core's config loader; this keeps the factory usable on its own
 * (tests, embedding) with a partial object.
 */
export function resolveHttpClientConfig(partial: Partial<HttpClientOptions>): HttpClientOptions {
  const config: HttpClientOptions = { ...httpClientDefaults };
  for (const [key, value] of Object.entries(partial)) {
    if (value !== undefined) config[key] = value;
  }
  // Core's loader does not know this package's own key, so coerce it here ("3000" -> 3000).
  const stopTimeout = Number(config.stopTimeout);
  config.stopTimeout =
    Number.isFinite(stopTimeout) && stopTimeout >= 0 ? stopTimeout : httpClientDefaults.stopTimeout;
  return config;
}
