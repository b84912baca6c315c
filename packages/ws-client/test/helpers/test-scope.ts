import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterEach } from 'vitest';
import { createFakeBackend, type FakeBackend } from '@onebot-gateway/testkit';
import type { Adapter, WebsocketClientConfig } from '@onebot-gateway/core';
import { createWsClientAdapter, type WsClientOptions } from '../../src/index.js';
import { startBotServer, type BotServer, type BotServerOptions } from './bot-server.js';

/**
 * What every ws-client test file starts from: bot servers, fake backends and
 * adapters that are torn down after each test, newest first. Call it once at
 * the top level of a test file (it registers an afterEach hook).
 */
export function useTestScope() {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  return {
    cleanups,
    async botServer(options?: BotServerOptions): Promise<BotServer> {
      const server = await startBotServer(options);
      cleanups.push(() => server.close());
      return server;
    },
    /** A TCP server that accepts and never answers the upgrade: its `ws://` URL and the sockets it holds. */
    async silentServer(): Promise<{ url: string; sockets: Set<Socket> }> {
      const sockets = new Set<Socket>();
      const tcp = createServer((socket) => {
        sockets.add(socket);
        socket.on('error', () => undefined);
      });
      await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
      cleanups.push(async () => {
        for (const socket of sockets) socket.destroy();
        await new Promise<void>((resolve) => tcp.close(() => resolve()));
      });
      return { url: `ws://127.0.0.1:${(tcp.address() as AddressInfo).port}/`, sockets };
    },
    backend(): FakeBackend {
      const backend = createFakeBackend();
      cleanups.push(() => backend.dispose());
      return backend;
    },
    /** A ws-client adapter (not started) with test-friendly defaults: no heartbeat, 20 ms reconnects. */
    adapterFor(backend: FakeBackend, config: Partial<WsClientOptions>): Adapter<WebsocketClientConfig> {
      const adapter = createWsClientAdapter(
        { heartInterval: 0, reconnectInterval: 20, ...config },
        backend.context(config.name ?? 'ws-client'),
      );
      cleanups.push(() => adapter.stop());
      return adapter;
    },
  };
}
