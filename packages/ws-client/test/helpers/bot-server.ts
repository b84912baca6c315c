import {
  createServer as createHttpServer,
  type IncomingHttpHeaders,
  type Server as HttpServer,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket, type WebSocketServer as WsServer } from 'ws';
import { waitUntil as waitUntilEvery } from '@onebot-gateway/testkit';

/** One reverse connection the adapter made, as the bot framework sees it. */
export interface BotConnection {
  ws: WebSocket;
  headers: IncomingHttpHeaders;
  /** Every text frame received, parsed (unparsable ones as `{ unparsable }`). */
  frames: Array<Record<string, unknown>>;
  closed: boolean;
  closeCode?: number;
  /** Send a request frame and wait for the answer carrying the same echo. */
  request(frame: Record<string, unknown> | string, echo?: unknown): Promise<Record<string, unknown>>;
}

export interface BotServer {
  url: string;
  port: number;
  server: WsServer;
  connections: BotConnection[];
  /** Events (frames with post_type) over every connection, in arrival order. */
  events(): Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export interface BotServerOptions {
  /** Runs for every accepted connection, before frames are recorded. */
  onConnection?(connection: BotConnection): void;
  /** Serve wss:// with this certificate. */
  tls?: { key: string; cert: string };
  /** false: pings are not answered (ws's autoPong), unless onConnection answers them itself. */
  autoPong?: boolean;
  /** Refuse the handshake with this HTTP status. */
  refuseWith?: number;
  port?: number;
}

/** A real `ws` server on port 0 playing the bot framework a ws-client connects to. */
export async function startBotServer(options: BotServerOptions = {}): Promise<BotServer> {
  const http: HttpServer = options.tls
    ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert })
    : createHttpServer();
  const server = new WebSocketServer({
    server: http,
    perMessageDeflate: false,
    autoPong: options.autoPong ?? true,
    verifyClient:
      options.refuseWith === undefined ? undefined : (_info, done) => done(false, options.refuseWith),
  });
  server.on('error', () => undefined);
  const connections: BotConnection[] = [];
  server.on('connection', (ws, request) => {
    const frames: Array<Record<string, unknown>> = [];
    const connection: BotConnection = {
      ws,
      headers: request.headers,
      frames,
      closed: false,
      async request(frame, echo) {
        ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
        const matches = (f: Record<string, unknown>): boolean =>
          f.post_type === undefined && (echo === undefined || f.echo === echo);
        const start = frames.length;
        await waitUntil(() => frames.slice(start).some(matches), 'an answer');
        return frames.slice(start).find(matches) as Record<string, unknown>;
      },
    };
    ws.on('message', (data) => {
      try {
        frames.push(JSON.parse(data.toString()) as Record<string, unknown>);
      } catch {
        frames.push({ unparsable: true });
      }
    });
    ws.on('close', (code) => {
      connection.closed = true;
      connection.closeCode = code;
    });
    ws.on('error', () => undefined);
    connections.push(connection);
    options.onConnection?.(connection);
  });
  await new Promise<void>((resolve) => http.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `${options.tls ? 'wss' : 'ws'}://127.0.0.1:${port}/onebot`,
    port,
    server,
    connections,
    events: () => connections.flatMap((c) => c.frames.filter((f) => typeof f.post_type === 'string')),
    async close() {
      for (const client of server.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** Poll `condition` every 2 ms until it holds; fails with `what` after `timeoutMs`. */
export const waitUntil = (condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> =>
  waitUntilEvery(condition, what, timeoutMs, 2);

export const isLifecycleConnect = (f: Record<string, unknown>): boolean =>
  f.meta_event_type === 'lifecycle' && f.sub_type === 'connect';
export const isMessage = (f: Record<string, unknown>): boolean =>
  f.post_type === 'message' || f.post_type === 'message_sent';
