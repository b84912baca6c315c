import { afterEach, expect } from 'vitest';
import type { BotSocket } from './conformance/ws-bot.js';
import { createFakeBackend, type FakeBackend } from './fake-backend.js';
import { openPipelinedConnection, sendRawRequest, type PipelinedConnection } from './raw-http.js';

/** One adapter under test, listening on a free port with a fake backend. */
export interface HttpBadInputServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  backend: FakeBackend;
  stop(): Promise<void>;
}

export interface HttpBadInputOptions {
  /** Shown in the describe block: "http-server", "sse-server". */
  name: string;
  /** Start the adapter with these entry keys over its defaults (`port: 0` is the caller's job). */
  start(entry: Record<string, unknown>): Promise<HttpBadInputServer>;
}

/** What the bad-input cases share: everything they open is closed after each test. */
export interface BadInputFixture {
  start(entry?: Record<string, unknown>): Promise<HttpBadInputServer>;
  pipelined(url: string): Promise<PipelinedConnection>;
  /** Close this bot socket after the test. */
  track(bot: BotSocket): void;
  /** The server still answers an ordinary request. */
  stillServes(url: string): Promise<void>;
  postJson(
    url: string,
    body: string | Buffer,
    headers?: Record<string, string>,
  ): Promise<{ status: number; text: string }>;
}

/** An `echo_params` call (echo 1) padded to exactly `bytes` bytes of JSON: a frame at a size limit. */
export function echoFrameOfBytes(bytes: number): string {
  const envelope = JSON.stringify({ action: 'echo_params', params: { pad: '' }, echo: 1 });
  return JSON.stringify({
    action: 'echo_params',
    params: { pad: 'x'.repeat(bytes - envelope.length) },
    echo: 1,
  });
}

/** `[[[...]]]`, `depth` levels deep. */
export const deepArray = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

/** Call inside a describe block: registers the afterEach that stops what the cases started. */
export function useBadInputFixture(options: HttpBadInputOptions): BadInputFixture {
  const servers: HttpBadInputServer[] = [];
  const connections: PipelinedConnection[] = [];
  const bots: BotSocket[] = [];

  afterEach(async () => {
    for (const connection of connections.splice(0)) connection.socket.destroy();
    await Promise.all(bots.splice(0).map((bot) => bot.close()));
    await Promise.all(servers.splice(0).map((server) => server.stop()));
  });

  return {
    async start(entry = {}) {
      const server = await options.start(entry);
      servers.push(server);
      return server;
    },
    async pipelined(url) {
      const connection = await openPipelinedConnection(url);
      connections.push(connection);
      return connection;
    },
    track: (bot) => bots.push(bot),
    async stillServes(url) {
      const response = await fetch(`${url}/get_login_info`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'ok', retcode: 0 });
    },
    postJson: (url, body, headers = {}) =>
      sendRawRequest(url, { headers: { 'content-type': 'application/json', ...headers }, body }),
  };
}

/** The adapter a bad-input run starts: anything that listens and says where. */
export interface ListeningAdapter {
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): { address?: string };
}

/**
 * `HttpBadInputOptions.start` for an adapter factory: the entry on a free port, a fresh fake backend
 * (its context named `name`), both stopped by `stop()`.
 */
export function startOnFreePort(
  name: string,
  create: (
    entry: Record<string, unknown> & { port: number },
    context: ReturnType<FakeBackend['context']>,
  ) => ListeningAdapter,
): HttpBadInputOptions['start'] {
  return async (entry) => {
    const backend = createFakeBackend();
    const adapter = create({ ...entry, port: 0 }, backend.context(name));
    await adapter.start();
    return {
      url: `http://${adapter.status().address}`,
      backend,
      stop: async () => {
        await adapter.stop();
        backend.dispose();
      },
    };
  };
}
