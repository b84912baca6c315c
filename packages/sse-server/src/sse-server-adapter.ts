import type { AdapterContext, PartialAdapterConfig } from '@onebot-gateway/core';
import {
  createHttpAdapterRuntime,
  type HttpAdapterRuntime,
  type HttpServerAdapterOptions,
} from '@onebot-gateway/http-server';
import { resolveSseServerConfig, type SseServerConfig } from './config.js';
import { registerEventsRoute } from './events-route.js';
import { createSseHub, type SseHub } from './sse-hub.js';

export interface SseServerAdapter extends HttpAdapterRuntime<SseServerConfig> {
  /** Open `/_events` streams right now. */
  streamCount(): number;
}

/**
 * The OneBot HTTP API plus a Server-Sent Events stream at `GET /_events`
 * (protocol.md section 7, "HTTP SSE server"). Accepts a partial entry.
 */
export function createSseServerAdapter(
  config: PartialAdapterConfig<'httpSseServers'>,
  context: AdapterContext,
  options: HttpServerAdapterOptions = {},
): SseServerAdapter {
  const runtime = createHttpAdapterRuntime<SseServerConfig>({
    kind: 'httpSseServers',
    label: 'sse-server',
    config: resolveSseServerConfig(config),
    resolveConfig: resolveSseServerConfig,
    context,
    ...options,
    extensions: [
      {
        setup: (app) => registerEventsRoute(app, hub),
        started: () => hub.start(),
        stopping: () => hub.stop(),
        reloaded: (next, previous) => hub.reload(next, previous),
        status: () => ({ streams: hub.streamCount() }),
        peers: () => hub.peers(),
      },
    ],
  });
  // The extension's hooks only run after start(), by when `hub` exists.
  const hub: SseHub = createSseHub({
    context,
    logger: runtime.logger,
    counters: runtime.counters,
    currentConfig: runtime.currentConfig,
  });
  return Object.assign(runtime, { streamCount: () => hub.streamCount() });
}
