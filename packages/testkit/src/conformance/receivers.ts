import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { createAsyncQueue, type AsyncQueue } from './event-queue.js';
import { closeSocket } from './ws-bot.js';

/** One reverse-WebSocket connection the adapter made to the suite. */
export interface ReceivedConnection {
  headers: IncomingHttpHeaders;
  ws: WebSocket;
  events: AsyncQueue<Record<string, unknown>>;
  /** Frames that are not events (answers to the suite's calls). */
  answers: AsyncQueue<Record<string, unknown>>;
  /** Resolves with the close code once the connection is closed. */
  closed: Promise<number>;
}

export interface WsReceiver {
  url: string;
  connections: AsyncQueue<ReceivedConnection>;
  close(): Promise<void>;
}

function isEvent(frame: Record<string, unknown>): boolean {
  return typeof frame.post_type === 'string';
}

/** A WebSocket server playing the bot framework that a ws-client adapter connects to. */
export async function startWsReceiver(): Promise<WsReceiver> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const connections = createAsyncQueue<ReceivedConnection>();
  const sockets = new Set<WebSocket>();
  server.on('connection', (ws, request) => {
    sockets.add(ws);
    const connection: ReceivedConnection = {
      headers: request.headers,
      ws,
      events: createAsyncQueue(),
      answers: createAsyncQueue(),
      closed: new Promise<number>((resolve) => ws.once('close', (code) => resolve(code))),
    };
    ws.on('message', (data) => {
      let frame: Record<string, unknown>;
      try {
        frame = JSON.parse(data.toString()) as Record<string, unknown>;
      } catch {
        frame = { unparsable: true, text: data.toString() };
      }
      (isEvent(frame) ? connection.events : connection.answers).push(frame);
    });
    ws.on('close', () => {
      sockets.delete(ws);
      connection.events.end('connection closed');
      connection.answers.end('connection closed');
    });
    ws.on('error', () => {});
    connections.push(connection);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    connections,
    async close() {
      await Promise.all([...sockets].map((ws) => closeSocket(ws)));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** One POST the adapter made to the suite. */
export interface ReceivedPost {
  headers: IncomingHttpHeaders;
  body: Buffer;
  event: Record<string, unknown>;
}

export interface HttpReceiver {
  url: string;
  posts: AsyncQueue<ReceivedPost>;
  close(): Promise<void>;
}

/** An HTTP server playing the bot framework that an http-client adapter posts to; answers 204. */
export async function startHttpReceiver(): Promise<HttpReceiver> {
  const posts = createAsyncQueue<ReceivedPost>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      let event: Record<string, unknown>;
      try {
        event = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      } catch {
        event = { unparsable: true, text: body.toString('utf8') };
      }
      posts.push({ headers: request.headers, body, event });
      response.statusCode = 204;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    posts,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
