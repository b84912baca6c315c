import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export const UPSTREAM_SELF_ID = 777001;

export interface FakeUpstream {
  url: string;
  sockets: WebSocket[];
  received: Array<Record<string, unknown>>;
  broadcast(frame: unknown): void;
  close(): Promise<void>;
}

/** A stand-in for NapCat: answers get_login_info and echoes anything else's params as data. */
export async function startFakeUpstream(): Promise<FakeUpstream> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  const fake: FakeUpstream = {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sockets: [],
    received: [],
    broadcast(frame) {
      for (const socket of fake.sockets) socket.send(JSON.stringify(frame));
    },
    async close() {
      for (const socket of fake.sockets) socket.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  server.on('connection', (socket) => {
    fake.sockets.push(socket);
    socket.on('close', () => fake.sockets.splice(fake.sockets.indexOf(socket), 1));
    socket.on('message', (data) => {
      const request = JSON.parse(data.toString()) as Record<string, unknown>;
      fake.received.push(request);
      const data_ =
        request.action === 'get_login_info'
          ? { user_id: UPSTREAM_SELF_ID, nickname: 'Upstream' }
          : request.params;
      socket.send(
        JSON.stringify({
          status: 'ok',
          retcode: 0,
          data: data_,
          message: '',
          wording: '',
          echo: request.echo,
        }),
      );
    });
  });
  return fake;
}
