import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

export interface Received<T = Record<string, unknown>> {
  headers: IncomingMessage['headers'];
  body: T;
}

export interface PostReceiver<T = Record<string, unknown>> {
  server: Server;
  /** `http://127.0.0.1:<port>/onebot`, a URL for an httpClients entry. */
  url: string;
  /** Every JSON body POSTed so far, in arrival order. */
  received: Array<Received<T>>;
  /** The bodies alone. */
  bodies(): T[];
}

/**
 * A bot's HTTP endpoint for httpClients: keeps every JSON body (and its headers) it got and answers 204,
 * or, with `answer: false`, reads each request and never answers (a receiver that hangs).
 */
export async function startPostReceiver<T = Record<string, unknown>>(
  options: { answer?: boolean } = {},
): Promise<PostReceiver<T>> {
  const received: Array<Received<T>> = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: JSON.parse(Buffer.concat(chunks).toString()) as T });
      if (options.answer ?? true) response.writeHead(204).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/onebot`,
    received,
    bodies: () => received.map((entry) => entry.body),
  };
}

/** A bot's WebSocket server for websocketClients, on a free loopback port. */
export async function startWsReceiver(): Promise<{ server: WebSocketServer; url: string }> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  return { server, url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}
