import { createFakeBackend, connectBotSocket, type AuthInput, type BotSocket, type FakeBackend } from '@onebot-gateway/testkit';
import type { PartialAdapterConfig } from '@onebot-gateway/core';
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
      const adapter = createWsServerAdapter({ port: 0, heartInterval: 0, ...config }, owner.context(String(config.name ?? 'ws-test')));
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
  if (ws.readyState === ws.CLOSED) return Promise.reject(new Error('already closed; await closeCode before closing'));
  return new Promise((resolve) => ws.once('close', (code) => resolve(code)));
}

/** Poll a condition (for effects that have no event to await); fails after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

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
