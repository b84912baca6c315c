/** A stand-in for NapCat on port 0, shared by the relay's tests. */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { waitUntil } from '@onebot-gateway/testkit';

export const SELF_ID = 424242;

export interface FakeUpstream {
  url: string;
  server: WebSocketServer;
  sockets: WebSocket[];
  /** Every frame received, parsed. */
  received: Array<Record<string, unknown>>;
  /** Authorization header of each handshake. */
  authorizations: Array<string | undefined>;
  /** How to answer an action; default: get_login_info and echo. */
  answer: (request: Record<string, unknown>) => Record<string, unknown> | undefined;
  broadcast(frame: unknown): void;
  connected(): Promise<WebSocket>;
  close(): Promise<void>;
}

export function defaultAnswer(request: Record<string, unknown>): Record<string, unknown> | undefined {
  if (request.action === 'get_login_info')
    return { status: 'ok', retcode: 0, data: { user_id: SELF_ID, nickname: 'Up' } };
  if (request.action === 'echo_params') return { status: 'ok', retcode: 0, data: request.params };
  if (request.action === 'gocq_style_failure')
    return { status: 'failed', retcode: 100, data: null, msg: 'GROUP_NOT_FOUND' };
  if (request.action === 'never_answers') return undefined;
  return {
    status: 'failed',
    retcode: 1404,
    data: null,
    message: 'unknown action',
    wording: 'unknown action',
  };
}

export async function startFakeUpstream(port = 0): Promise<FakeUpstream> {
  const server = new WebSocketServer({ host: '127.0.0.1', port });
  await once(server, 'listening');
  const fake: FakeUpstream = {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    sockets: [],
    received: [],
    authorizations: [],
    answer: defaultAnswer,
    broadcast(frame) {
      for (const socket of fake.sockets) socket.send(JSON.stringify(frame));
    },
    async connected() {
      if (fake.sockets.length > 0) return fake.sockets[fake.sockets.length - 1]!;
      const [socket] = (await once(server, 'connection')) as [WebSocket];
      return socket;
    },
    async close() {
      for (const socket of fake.sockets) socket.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  server.on('connection', (socket, request) => {
    fake.sockets.push(socket);
    fake.authorizations.push(request.headers.authorization);
    socket.on('close', () => fake.sockets.splice(fake.sockets.indexOf(socket), 1));
    socket.on('message', (data) => {
      const request = JSON.parse(data.toString()) as Record<string, unknown>;
      fake.received.push(request);
      const answer = fake.answer(request);
      if (answer) socket.send(JSON.stringify({ ...answer, echo: request.echo }));
    });
  });
  return fake;
}

/** Poll `check` every 10 ms; bounded (3 s unless told). */
export const until = (check: () => boolean, what: string, timeoutMs = 3_000): Promise<void> =>
  waitUntil(check, what, timeoutMs, 10);
