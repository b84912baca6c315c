import type { HttpServerConfig } from '@onebot-gateway/core';
import { createFakeBackend, type FakeBackend, waitUntil } from '@onebot-gateway/testkit';
import { createHttpServerAdapter } from '../src/index.js';

export interface RunningServer {
  adapter: ReturnType<typeof createHttpServerAdapter>;
  backend: FakeBackend;
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
}

const running: RunningServer[] = [];

/** Start an http-server on a free port with a fake backend; `stopAll` in afterEach tears it down. */
export async function startServer(
  config: Partial<HttpServerConfig> = {},
  backend = createFakeBackend(),
): Promise<RunningServer> {
  const adapter = createHttpServerAdapter(
    { port: 0, ...config },
    backend.context(config.name ?? 'http-server'),
  );
  const server: RunningServer = { adapter, backend, url: '', port: 0 };
  running.push(server);
  await adapter.start();
  server.port = Number(adapter.status().address?.split(':').pop());
  server.url = `http://127.0.0.1:${server.port}`;
  return server;
}

export async function stopAll(): Promise<void> {
  const servers = running.splice(0);
  await Promise.all(
    servers.map(async ({ adapter, backend }) => {
      await adapter.stop();
      backend.dispose();
    }),
  );
}

export interface JsonReply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

export async function call(url: string, init?: RequestInit): Promise<JsonReply> {
  const response = await fetch(url, init);
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
  };
}

export function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<JsonReply> {
  return call(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** Poll `condition` until true (bounded): for server-side effects that have no event to await. */
export const waitFor = (condition: () => boolean, timeoutMs = 3000): Promise<void> =>
  waitUntil(condition, 'the condition', timeoutMs);
