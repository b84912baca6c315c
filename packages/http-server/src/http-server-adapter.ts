import type { AdapterContext, HttpServerConfig } from '@onebot-gateway/core';
import { resolveHttpServerConfig } from './config.js';
import { createHttpAdapterRuntime, type HttpAdapterRuntime } from './http-adapter-runtime.js';

/**
 * The OneBot 11 HTTP API server (protocol.md section 7, "HTTP server").
 * Accepts a partial entry; missing keys take the defaults of `httpServerDefaults`.
 */
export function createHttpServerAdapter(config: Partial<HttpServerConfig>, context: AdapterContext): HttpAdapterRuntime<HttpServerConfig> {
  return createHttpAdapterRuntime({
    kind: 'httpServers',
    label: 'http-server',
    config: resolveHttpServerConfig(config),
    context,
  });
}
