import { connect as tcpConnect, type Socket } from 'node:net';
import { createFakeBackend, type FakeBackend, waitUntil } from '@onebot-gateway/testkit';
import { createSseServerAdapter, type SseServerAdapter, type SseServerConfig } from '../src/index.js';
import { openSse, type SseConnection } from './sse-client.js';

export interface RunningSseServer {
  adapter: SseServerAdapter;
  backend: FakeBackend;
  url: string;
  port: number;
}

const running: RunningSseServer[] = [];
const clients: SseConnection[] = [];
const stalledSockets: Socket[] = [];

export async function startSseServer(
  config: Partial<SseServerConfig> = {},
  backend = createFakeBackend(),
): Promise<RunningSseServer> {
  const adapter = createSseServerAdapter(
    { port: 0, ...config },
    backend.context(config.name ?? 'sse-server'),
  );
  const server: RunningSseServer = { adapter, backend, url: '', port: 0 };
  running.push(server);
  await adapter.start();
  server.port = Number(adapter.status().address?.split(':').pop());
  server.url = `http://127.0.0.1:${server.port}`;
  return server;
}

/** Open a stream that `stopAllSse` closes. */
export async function connect(url: string, headers?: Record<string, string>): Promise<SseConnection> {
  const connection = await openSse(url, headers);
  clients.push(connection);
  return connection;
}

/**
 * A client that opens `/_events`, takes the response head, then never reads another byte
 * (`stopAllSse` destroys it). `closed` settles when the server cuts it.
 */
export async function openStalledStream(port: number): Promise<{ socket: Socket; closed: Promise<void> }> {
  const socket = tcpConnect(port, '127.0.0.1');
  stalledSockets.push(socket);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => {
    // the server cuts it; `closed` reports that
  });
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(`GET /_events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n\r\n`);
  await new Promise((resolve) => socket.once('data', resolve));
  socket.pause();
  return { socket, closed };
}

export async function stopAllSse(): Promise<void> {
  for (const socket of stalledSockets.splice(0)) socket.destroy();
  for (const client of clients.splice(0)) client.close();
  await Promise.all(
    running.splice(0).map(async ({ adapter, backend }) => {
      await adapter.stop();
      backend.dispose();
    }),
  );
}

/** Poll `condition` until true (bounded): for server-side effects that have no event to await. */
export const waitFor = (condition: () => boolean, timeoutMs = 3000): Promise<void> =>
  waitUntil(condition, 'the condition', timeoutMs);
