import type { HttpServerConfig } from '@onebot-gateway/core';

/** Defaults of an `httpServers` entry (protocol.md section 1 plus this project's extra keys). */
export const httpServerDefaults: HttpServerConfig = {
  name: 'http-server',
  enable: false,
  host: '127.0.0.1',
  port: 3000,
  enableCors: true,
  enableWebsocket: false,
  messagePostFormat: 'array',
  token: '',
  debug: false,
  maxBodySize: 50 * 1024 * 1024,
  heartInterval: 30_000,
  reportSelfMessage: false,
  enableForcePushEvent: true,
};

/**
 * Fill the defaults of a partial entry. The gateway hands over entries that
 * core's config loader already validated and coerced; this only covers
 * programmatic use with a partial object. Kept in one function so it can
 * become core's `resolveAdapterConfig` without touching the callers.
 */
export function resolveHttpServerConfig(partial: Partial<HttpServerConfig> = {}): HttpServerConfig {
  return withDefaults(httpServerDefaults, partial);
}

/** `defaults` overlaid with every key of `partial` that is not undefined (unknown keys are kept). */
export function withDefaults<C extends object>(defaults: C, partial: Partial<C>): C {
  const resolved: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [key, value] of Object.entries(partial)) {
    if (value !== undefined) resolved[key] = value;
  }
  return resolved as C;
}
