import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { WebSocketServer } from 'ws';
import type { GatewayHandle, StartGatewayOptions } from '../../src/index.js';
import { startFakeUpstream, type FakeUpstream } from './fake-upstream.js';
import { spawnGateway, type GatewayProcess } from './gateway-process.js';
import { startPostReceiver, startWsReceiver, type PostReceiver } from './receivers.js';
import { connectWs, type TestWsClient } from './ws-client.js';

/** Anything a test opens against a gateway: a client, a reader, an admin server. */
export type Closeable = { close(): unknown } | { stop(): unknown };

export interface ConnectOptions {
  /** Request path; default `/`. */
  path?: string;
  /** Sent as `authorization: Bearer <token>`. */
  token?: string;
}

export interface GatewayFixture {
  /** Spawn the real CLI (see `spawnGateway`); stopped after the test. */
  spawn(config: unknown, options?: Parameters<typeof spawnGateway>[1]): Promise<GatewayProcess>;
  /** Start an in-process gateway; stopped after the test. */
  start(options: StartGatewayOptions): Promise<GatewayHandle>;
  /** Stop `gateways` (anything that runs gateways, e.g. a NATS cluster) with the gateways after the test. */
  manage<T extends { stop(): Promise<unknown> }>(gateways: T): T;
  /** Close `closeable` after the test, before any gateway stops (clients, readers). */
  track<T extends Closeable>(closeable: T): T;
  /** Run `cleanup` after the test, once every gateway stopped (servers it dials, temp dirs). */
  defer(cleanup: () => unknown): void;
  /** A fresh temp folder, removed once the gateways stopped. */
  tempDir(prefix?: string): Promise<string>;
  /** The path of `onebot11.json` in a fresh temp folder, holding `config` as pretty JSON (a string as is). */
  configFile(config: unknown, prefix?: string): Promise<string>;
  /** A loopback port held by a plain TCP server until after the test (a port clash on demand). */
  occupyPort(): Promise<number>;
  /** `startFakeUpstream` (an upstream OneBot implementation for relays), closed once the gateways stopped. */
  fakeUpstream(): Promise<FakeUpstream>;
  /** `startPostReceiver`, closed once the gateways stopped. */
  postReceiver<T = Record<string, unknown>>(options?: { answer?: boolean }): Promise<PostReceiver<T>>;
  /** `startWsReceiver`, closed (its sockets cut) once the gateways stopped. */
  wsReceiver(): Promise<{ server: WebSocketServer; url: string }>;
  /** A tracked WebSocket client on the named adapter of `gateway`. */
  connect(gateway: GatewayProcess, adapter: string, options?: ConnectOptions): Promise<TestWsClient>;
}

/**
 * The per-test scaffolding of the gateway tests, once: call it inside a `describe` and every gateway,
 * client and server the test opened through it is closed after each test, in the order that keeps the
 * logs quiet (clients first, then the gateways, last started first, then what the gateways dial).
 */
export function useGatewayProcesses(): GatewayFixture {
  const tracked: Closeable[] = [];
  const gateways: Array<{ stop(): Promise<unknown> }> = [];
  const deferred: Array<() => unknown> = [];

  afterEach(async () => {
    const failures: unknown[] = [];
    const attempt = async (step: () => unknown) => {
      try {
        await step();
      } catch (error) {
        failures.push(error);
      }
    };
    await Promise.all(tracked.splice(0).map((closeable) => attempt(() => closeTracked(closeable))));
    // Last started, first stopped: a relay stops before the gateway it dials.
    for (const gateway of gateways.splice(0).reverse()) await attempt(() => gateway.stop());
    for (const cleanup of deferred.splice(0).reverse()) await attempt(cleanup);
    if (failures.length > 0) throw failures[0];
  });

  async function tempDir(prefix = 'onebot-gateway-test-'): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    deferred.push(() => rm(dir, { recursive: true, force: true }));
    return dir;
  }

  return {
    async spawn(config, options) {
      const gateway = await spawnGateway(config, options);
      gateways.push(gateway);
      return gateway;
    },
    async start(options) {
      // Loaded on first use: the spawn-only tests need not load the gateway in-process.
      const { startGateway } = await import('../../src/index.js');
      const gateway = await startGateway(options);
      gateways.push(gateway);
      return gateway;
    },
    manage(handle) {
      gateways.push(handle);
      return handle;
    },
    track(closeable) {
      tracked.push(closeable);
      return closeable;
    },
    defer(cleanup) {
      deferred.push(cleanup);
    },
    tempDir,
    async configFile(config, prefix) {
      const configPath = join(await tempDir(prefix), 'onebot11.json');
      await writeFile(configPath, typeof config === 'string' ? config : JSON.stringify(config, null, 2));
      return configPath;
    },
    async occupyPort() {
      const blocker = createServer();
      blocker.listen(0, '127.0.0.1');
      await once(blocker, 'listening');
      deferred.push(() => closeServer(blocker));
      return (blocker.address() as AddressInfo).port;
    },
    async fakeUpstream() {
      const upstream = await startFakeUpstream();
      deferred.push(() => upstream.close());
      return upstream;
    },
    async postReceiver<T>(options?: { answer?: boolean }) {
      const receiver = await startPostReceiver<T>(options);
      deferred.push(() => closeServer(receiver.server));
      return receiver;
    },
    async wsReceiver() {
      const receiver = await startWsReceiver();
      deferred.push(() => closeServer(receiver.server));
      return receiver;
    },
    async connect(gateway, adapter, options = {}) {
      const { port } = await gateway.adapter(adapter);
      const client = await connectWs(
        `ws://127.0.0.1:${port}${options.path ?? '/'}`,
        options.token ? { authorization: `Bearer ${options.token}` } : {},
      );
      tracked.push(client);
      return client;
    },
  };
}

function closeTracked(closeable: Closeable): unknown {
  return 'stop' in closeable ? closeable.stop() : closeable.close();
}

/** Close a listening server (a `ws` server's clients are cut first); resolves once it is closed. */
export async function closeServer(server: Server | WebSocketServer): Promise<void> {
  if ('clients' in server) for (const socket of server.clients) socket.terminate();
  await new Promise((resolve) => server.close(resolve));
}
