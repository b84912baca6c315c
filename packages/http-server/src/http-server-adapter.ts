import type { AdapterContext, PartialAdapterConfig } from '@onebot-gateway/core';
import { resolveHttpServerConfig, type HttpServerEntry } from './config.js';
import { createHttpAdapterRuntime, type HttpAdapterRuntime } from './http-adapter-runtime.js';

export interface HttpServerAdapterOptions {
  /** Folder that relative `tls` file paths start from: the config file's. Default: the working directory. */
  baseDir?: string;
}

/**
 * The OneBot 11 HTTP API server (protocol.md section 7, "HTTP server").
 * Accepts a partial entry (NapCat-style strings too); missing keys take the
 * defaults of `httpServerDefaults`.
 */
export function createHttpServerAdapter(
  config: PartialAdapterConfig<'httpServers'>,
  context: AdapterContext,
  options: HttpServerAdapterOptions = {},
): HttpAdapterRuntime<HttpServerEntry> {
  return createHttpAdapterRuntime<HttpServerEntry>({
    kind: 'httpServers',
    label: 'http-server',
    config: resolveHttpServerConfig(config),
    resolveConfig: resolveHttpServerConfig,
    context,
    ...options,
  });
}
