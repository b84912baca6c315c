import { readFileSync } from 'node:fs';
import { copyFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  connectBotSocket,
  copyTlsPair,
  createFakeBackend,
  fingerprintOf,
  servedFingerprint,
  tempTlsDir,
  tlsFixtures,
  trustedTestCas,
  type BotSocket,
} from '@onebot-gateway/testkit';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWsServerAdapter, type WsServerAdapter } from '../src/index.js';

// Protocol.md "TLS": a websocketServers entry with `tls` serves wss://; the
// files are re-read (reloadTls, reload) for new connections, open ones stay.

let dir: string;
const backend = createFakeBackend();
const adapters: WsServerAdapter[] = [];
const sockets: BotSocket[] = [];

beforeEach(async () => {
  dir = await tempTlsDir('ws-server-tls-');
});

afterEach(async () => {
  await Promise.allSettled(sockets.splice(0).map((socket) => socket.close()));
  await Promise.all(adapters.splice(0).map((adapter) => adapter.stop()));
  await rm(dir, { recursive: true, force: true });
});

afterAll(() => backend.dispose());

async function start(config: Record<string, unknown> = {}): Promise<WsServerAdapter> {
  const adapter = createWsServerAdapter(
    { name: 'wss', port: 0, heartInterval: 0, tls: { cert: 'cert.pem', key: 'key.pem' }, ...config },
    backend.context('wss'),
    { baseDir: dir },
  );
  adapters.push(adapter);
  await adapter.start();
  return adapter;
}

function portOf(adapter: WsServerAdapter): number {
  return Number(adapter.status().address?.split(':').pop());
}

async function connect(adapter: WsServerAdapter, ca: Buffer[], headers: Record<string, string> = {}) {
  const socket = await connectBotSocket(
    `wss://127.0.0.1:${portOf(adapter)}/`,
    { kind: 'none' },
    {
      ca,
      headers,
    },
  );
  if ('rejected' in socket) return socket;
  sockets.push(socket);
  return socket;
}

async function callOn(socket: BotSocket, action: string, echo: number): Promise<Record<string, unknown>> {
  socket.ws.send(JSON.stringify({ action, echo }));
  for (;;) {
    const frame = await socket.next();
    if (frame.echo === echo) return frame;
  }
}

describe('ws-server over TLS (wss://)', () => {
  it('serves events and actions over wss:// to a client that trusts the certificate', async () => {
    const adapter = await start();
    const socket = await connect(adapter, [readFileSync(tlsFixtures.selfSigned.cert)]);
    if ('rejected' in socket) throw new Error(`refused with ${socket.status}`);
    expect(await socket.next()).toMatchObject({ meta_event_type: 'lifecycle', sub_type: 'connect' });
    backend.emitMessage();
    expect(await socket.next()).toMatchObject({ post_type: 'message' });
    expect(await callOn(socket, 'get_login_info', 1)).toMatchObject({ retcode: 0, echo: 1 });
    expect(adapter.status()).toMatchObject({ state: 'running', connections: 1 });
  });

  it('a client that does not trust the certificate cannot connect', async () => {
    const adapter = await start();
    await expect(connect(adapter, [readFileSync(tlsFixtures.ca)])).rejects.toThrow(/self-signed|self signed/);
  });

  it('reloadTls: a NEW connection sees the new certificate while an OLD WebSocket stays open', async () => {
    const adapter = await start();
    const port = portOf(adapter);
    const old = await connect(adapter, trustedTestCas());
    if ('rejected' in old) throw new Error(`refused with ${old.status}`);
    await old.next();

    await copyTlsPair(tlsFixtures.caSigned, dir);
    await adapter.reloadTls();

    expect(await servedFingerprint(port)).toBe(fingerprintOf(tlsFixtures.caSigned.cert));
    // Only the CA is trusted now: the handshake succeeds only with the new, CA-signed certificate.
    const fresh = await connect(adapter, [readFileSync(tlsFixtures.ca)]);
    expect('rejected' in fresh).toBe(false);
    expect(old.ws.readyState).toBe(old.ws.OPEN);
    expect(await callOn(old, 'get_status', 2)).toMatchObject({ retcode: 0, echo: 2 });
    expect(adapter.status().connections).toBe(2);
  });

  it('a bad file on reloadTls keeps the running certificate', async () => {
    const adapter = await start();
    await copyFile(tlsFixtures.caSigned.key, join(dir, 'key.pem'));
    await expect(adapter.reloadTls()).rejects.toThrow(
      /websocket server "wss": tls\.key "key\.pem" \(.*\): does not match the certificate of tls\.cert "cert\.pem"/,
    );
    expect(await servedFingerprint(portOf(adapter))).toBe(fingerprintOf(tlsFixtures.selfSigned.cert));
  });

  it("same-host rule on https: the listener's own https:// page may connect without a token, others may not", async () => {
    const adapter = await start();
    const port = portOf(adapter);
    const ca = [readFileSync(tlsFixtures.selfSigned.cert)];
    const own = await connect(adapter, ca, { Origin: `https://127.0.0.1:${port}` });
    expect('rejected' in own).toBe(false);
    expect(await connect(adapter, ca, { Origin: 'https://evil.example' })).toMatchObject({
      rejected: true,
      status: 403,
    });
  });

  it('a missing key fails the start, naming the adapter and the file', async () => {
    const adapter = createWsServerAdapter(
      { name: 'wss-broken', port: 0, tls: { cert: 'cert.pem', key: 'gone.pem' } },
      backend.context('wss-broken'),
      { baseDir: dir },
    );
    adapters.push(adapter);
    await expect(adapter.start()).rejects.toThrow(
      /^websocket server "wss-broken": tls\.key "gone\.pem" \(.*gone\.pem\): not found$/,
    );
    expect(adapter.status()).toMatchObject({
      state: 'failed',
      lastError: expect.stringContaining('gone.pem'),
    });
  });

  it('a reload switching tls off rebinds to ws://', async () => {
    const adapter = await start();
    const { tls: _tls, ...plain } = adapter.config;
    await adapter.reload(plain);
    const socket = await connectBotSocket(`ws://127.0.0.1:${portOf(adapter)}/`);
    if ('rejected' in socket) throw new Error(`refused with ${socket.status}`);
    sockets.push(socket);
    expect(await socket.next()).toMatchObject({ sub_type: 'connect' });
  });
});
