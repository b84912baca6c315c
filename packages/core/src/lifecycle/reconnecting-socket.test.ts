import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { createReconnectingSocket, type ReconnectingSocket } from './reconnecting-socket.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

interface Server {
  port: number;
  /** Server-side sockets, in the order they connected. */
  sockets: WebSocket[];
  headers: Array<Record<string, string | string[] | undefined>>;
  close(): Promise<void>;
}

async function startServer(port = 0, onConnection?: (socket: WebSocket) => void): Promise<Server> {
  const wss = new WebSocketServer({ port, host: '127.0.0.1' });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const server: Server = {
    port: (wss.address() as AddressInfo).port,
    sockets: [],
    headers: [],
    async close() {
      for (const socket of wss.clients) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
  wss.on('connection', (socket, request) => {
    server.sockets.push(socket);
    server.headers.push(request.headers);
    onConnection?.(socket);
  });
  return server;
}

/** A client on the helper that records what its handlers saw, tagged with the attempt that saw it. */
function client(port: () => number, reconnectIntervalMs = 10) {
  const seen: string[] = [];
  const reconnecting = createReconnectingSocket<WebSocket>({
    dial: () => new WebSocket(`ws://127.0.0.1:${port()}/`, { headers: { 'X-Client-Role': 'Universal' } }),
    connection: ({ attempt, retry }) => ({
      open: () => seen.push(`open ${attempt}${retry ? ' (retry)' : ''}`),
      message: (data) => seen.push(`message ${attempt}: ${String(data)}`),
      error: () => seen.push(`error ${attempt}`),
      close: (code) => seen.push(`close ${attempt}: ${code}`),
    }),
    dialFailed: (error, attempt) => seen.push(`dial failed ${attempt}: ${(error as Error).message}`),
    reconnectInterval: () => reconnectIntervalMs,
    closeTimeoutMs: 200,
  });
  return { reconnecting, seen };
}

const stoppers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const stop of stoppers.splice(0).reverse()) await stop();
});

function track<S extends ReconnectingSocket<WebSocket>>(reconnecting: S): S {
  stoppers.push(() => reconnecting.stop(1001, 'test over'));
  return reconnecting;
}

describe('createReconnectingSocket', () => {
  it('dials with its headers, keeps one connection and closes it gracefully with the code asked', async () => {
    const server = await startServer();
    stoppers.push(() => server.close());
    const { reconnecting, seen } = client(() => server.port);
    track(reconnecting).connect();
    reconnecting.connect();
    await until(() => seen.includes('open 1'), 'the connection');
    expect(server.headers[0]).toMatchObject({ 'x-client-role': 'Universal' });
    server.sockets[0]!.send('hello');
    await until(() => seen.includes('message 1: hello'), 'the message');
    const serverClosed = new Promise<number>((resolve) => server.sockets[0]!.once('close', resolve));
    expect(await reconnecting.stop(1001, 'bye')).toBe(1001);
    expect(await serverClosed).toBe(1001);
    expect(server.sockets).toHaveLength(1);
    expect(reconnecting.attempts).toBe(1);
    // Closed by the adapter: its own close handler stays silent, and no retry follows.
    await sleep(40);
    expect(seen).toEqual(['open 1', 'message 1: hello']);
    expect(reconnecting.nextAttemptAt).toBeUndefined();
  });

  it('reconnects after the server drops the socket and after it restarts, saying when the next attempt is due', async () => {
    let server = await startServer();
    const port = server.port;
    const { reconnecting, seen } = client(() => port, 30);
    track(reconnecting).connect();
    await until(() => seen.includes('open 1'), 'the connection');
    server.sockets[0]!.terminate();
    await until(() => seen.includes('open 2 (retry)'), 'the reconnection');
    expect(seen).toContain('close 1: 1006');

    await server.close();
    await until(() => reconnecting.nextAttemptAt !== undefined, 'the retry to be scheduled');
    expect(reconnecting.current).toBeUndefined();
    expect(reconnecting.nextAttemptAt).toBeGreaterThan(Date.now() - 5);
    expect(reconnecting.nextAttemptAt).toBeLessThanOrEqual(Date.now() + 30 + 3 + 5);
    await until(() => reconnecting.attempts >= 4, 'a few refused attempts');
    expect(seen.filter((line) => /^error \d+$/.test(line)).length).toBeGreaterThanOrEqual(1);

    server = await startServer(port);
    stoppers.push(() => server.close());
    const opens = () => seen.filter((line) => line.startsWith('open')).length;
    await until(() => server.sockets.length === 1 && opens() === 3, 'the connection to the restarted server');
    expect(reconnecting.nextAttemptAt).toBeUndefined();
  });

  it('silences the callbacks of a socket it replaced: a late close of the old one does nothing', async () => {
    const server = await startServer();
    stoppers.push(() => server.close());
    const { reconnecting, seen } = client(() => server.port);
    track(reconnecting).connect();
    await until(() => seen.includes('open 1'), 'the first connection');
    const first = reconnecting.current!;
    // Closed by the adapter (a reload): the close handler of socket 1 must not run when its close arrives.
    const closing = reconnecting.close(1000, 'reconfigured');
    expect(first.isCurrent()).toBe(false);
    reconnecting.connect();
    expect(reconnecting.current?.attempt).toBe(2);
    expect(await closing).toBe(1000);
    await until(() => seen.includes('open 2'), 'the second connection');
    server.sockets[0]?.send('late');
    await sleep(30);
    expect(seen).toEqual(['open 1', 'open 2']);
    expect(first.socket.listenerCount('message')).toBe(0);
    expect(first.socket.listenerCount('close')).toBe(0);
  });

  it('stop during the connect terminates the dial and makes no further attempt', async () => {
    // A TCP server that accepts and never upgrades: the dial stays CONNECTING.
    const held = new Set<Socket>();
    const tcp = createTcpServer((socket) => {
      held.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    stoppers.push(async () => {
      for (const socket of held) socket.destroy();
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    });
    const { reconnecting, seen } = client(() => (tcp.address() as AddressInfo).port);
    reconnecting.connect();
    await until(() => held.size === 1, 'the TCP connection');
    expect(reconnecting.current?.socket.readyState).toBe(WebSocket.CONNECTING);
    const started = Date.now();
    expect(await reconnecting.stop(1001, 'stopping')).toBe(1006);
    expect(Date.now() - started).toBeLessThan(150);
    await sleep(40);
    expect(held.size).toBe(1);
    expect(reconnecting.attempts).toBe(1);
    expect(seen).toEqual([]);
  });

  it('stop during the wait cancels the pending retry', async () => {
    const server = await startServer();
    const port = server.port;
    await server.close();
    const { reconnecting, seen } = client(() => port, 40);
    reconnecting.connect();
    await until(() => reconnecting.nextAttemptAt !== undefined, 'the wait');
    expect(seen).toEqual(['error 1', 'close 1: 1006']);
    expect(await reconnecting.stop(1001, 'stopping')).toBeUndefined();
    expect(reconnecting.nextAttemptAt).toBeUndefined();
    await sleep(80);
    expect(reconnecting.attempts).toBe(1);
  });

  it('terminates a server that never answers the closing handshake after closeTimeoutMs', async () => {
    const server = await startServer(0, (socket) => {
      // Stop reading: the close frame is never read, so never answered.
      (socket as unknown as { _socket: Socket })._socket.pause();
    });
    stoppers.push(() => server.close());
    const { reconnecting, seen } = client(() => server.port);
    reconnecting.connect();
    await until(() => seen.includes('open 1'), 'the connection');
    const started = Date.now();
    expect(await reconnecting.stop(1001, 'stopping')).toBe(1006);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('a dial that throws counts as a failed attempt and is retried', async () => {
    let throwing = true;
    const server = await startServer();
    stoppers.push(() => server.close());
    const seen: string[] = [];
    const reconnecting = track(
      createReconnectingSocket<WebSocket>({
        dial: () => {
          if (throwing) throw new Error('bad options');
          return new WebSocket(`ws://127.0.0.1:${server.port}/`);
        },
        connection: ({ attempt }) => ({ open: () => seen.push(`open ${attempt}`) }),
        dialFailed: (error, attempt) => seen.push(`dial failed ${attempt}: ${(error as Error).message}`),
        reconnectInterval: () => 10,
        closeTimeoutMs: 200,
      }),
    );
    reconnecting.connect();
    expect(seen).toEqual(['dial failed 1: bad options']);
    expect(reconnecting.nextAttemptAt).toBeDefined();
    throwing = false;
    await until(() => seen.includes('open 2'), 'the retry');
  });

  it('drains and terminates an HTTP answer to the upgrade when the adapter listens for it', async () => {
    const http = createHttpServer((_request, response) => {
      response.statusCode = 401;
      response.end('no');
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    stoppers.push(async () => {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    });
    const seen: string[] = [];
    const reconnecting = track(
      createReconnectingSocket<WebSocket>({
        dial: () => new WebSocket(`ws://127.0.0.1:${(http.address() as AddressInfo).port}/`),
        connection: ({ attempt }) => ({
          unexpectedResponse: (response) => seen.push(`HTTP ${response.statusCode} ${attempt}`),
          close: (code) => seen.push(`close ${attempt}: ${code}`),
        }),
        reconnectInterval: () => 10,
        closeTimeoutMs: 200,
      }),
    );
    reconnecting.connect();
    await until(() => seen.includes('close 2: 1006'), 'the retry to be refused too');
    expect(seen.slice(0, 2)).toEqual(['HTTP 401 1', 'close 1: 1006']);
  });
});
