import {
  createFakeBackend,
  connectBotSocket,
  type AuthInput,
  type BotSocket,
  type FakeBackend,
  waitUntil,
} from '@onebot-gateway/testkit';
import type { PartialAdapterConfig } from '@onebot-gateway/core';
import { connect as connectTcp } from 'node:net';
import type WebSocket from 'ws';
import { createWsServerAdapter, type WsServerAdapter } from '../src/index.js';

export interface Harness {
  backend: FakeBackend;
  adapters: WsServerAdapter[];
  sockets: BotSocket[];
  start(config?: PartialAdapterConfig<'websocketServers'>, backend?: FakeBackend): Promise<WsServerAdapter>;
  connect(adapter: WsServerAdapter, path?: string, auth?: AuthInput): Promise<BotSocket>;
  teardown(): Promise<void>;
}

export function createHarness(): Harness {
  const backend = createFakeBackend();
  const harness: Harness = {
    backend,
    adapters: [],
    sockets: [],
    async start(config = {}, owner = backend) {
      const adapter = createWsServerAdapter(
        { port: 0, heartInterval: 0, ...config },
        owner.context(String(config.name ?? 'ws-test')),
      );
      harness.adapters.push(adapter);
      await adapter.start();
      return adapter;
    },
    async connect(adapter, path = '/', auth = { kind: 'none' }) {
      const socket = await connectBotSocket(`ws://${adapter.status().address}${path}`, auth);
      if ('rejected' in socket) throw new Error(`handshake rejected with ${socket.status}`);
      harness.sockets.push(socket);
      return socket;
    },
    async teardown() {
      await Promise.allSettled(harness.sockets.splice(0).map((s) => s.close()));
      await Promise.allSettled(harness.adapters.splice(0).map((a) => a.stop()));
      backend.dispose();
    },
  };
  return harness;
}

/** Resolves with the close code the client saw. */
export function closeCode(ws: WebSocket): Promise<number> {
  if (ws.readyState === ws.CLOSED)
    return Promise.reject(new Error('already closed; await closeCode before closing'));
  return new Promise((resolve) => ws.once('close', (code) => resolve(code)));
}

/** Poll a condition (for effects that have no event to await); fails after `timeoutMs`. */
export const waitFor = (condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> =>
  waitUntil(condition, what, timeoutMs, 10);

/** Frames already received and not taken, without waiting long. */
export async function drain(socket: BotSocket, waitMs = 50): Promise<Array<Record<string, unknown>>> {
  const frames: Array<Record<string, unknown>> = [];
  for (;;) {
    try {
      frames.push(await socket.next(waitMs));
    } catch {
      return frames;
    }
  }
}

export interface RawUpgrade {
  /** Everything the server sent before it closed the connection. */
  response: string;
  /** True when the server closed the TCP connection within the deadline. */
  closedByServer: boolean;
}

/**
 * A WebSocket handshake over a bare TCP socket, so the test sees what the
 * server does with the connection itself (a ws client would close it on its
 * own after a refusal). Resolves once the server closes the connection, or
 * after `deadlineMs` with `closedByServer: false` (the socket is then destroyed).
 */
export function rawUpgrade(
  address: string,
  path: string,
  headers: Record<string, string> = {},
  deadlineMs = 2000,
): Promise<RawUpgrade> {
  const [host, port] = [
    address.slice(0, address.lastIndexOf(':')),
    Number(address.slice(address.lastIndexOf(':') + 1)),
  ];
  return new Promise((resolve, reject) => {
    const socket = connectTcp(port, host);
    const chunks: Buffer[] = [];
    const finish = (closedByServer: boolean) => {
      clearTimeout(deadline);
      socket.destroy();
      resolve({ response: Buffer.concat(chunks).toString('latin1'), closedByServer });
    };
    const deadline = setTimeout(() => finish(false), deadlineMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('close', () => finish(true));
    socket.once('error', (error) => {
      clearTimeout(deadline);
      reject(error);
    });
    const extra = Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: ${address}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
        `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${extra}\r\n`,
    );
  });
}
