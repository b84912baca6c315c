import { afterEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { browserHandshake, callOverWebSocket, type Handshake } from '@onebot-gateway/testkit';
import { startServer, stopAll } from './helpers.js';

const opened: WebSocket[] = [];
afterEach(async () => {
  for (const ws of opened.splice(0)) ws.terminate();
  await stopAll();
});

async function handshake(url: string, headers: Record<string, string> = {}): Promise<Handshake> {
  const result = await browserHandshake(url, headers);
  if (result.open) opened.push(result.ws);
  return result;
}

const call = callOverWebSocket;

const EVIL = 'https://evil.example';

describe('http-server enableWebsocket: browser origins', () => {
  it('refuses a foreign page with 403 when no token is set; no action runs', async () => {
    const { port, backend, adapter } = await startServer({ enableWebsocket: true });
    const result = await handshake(`ws://127.0.0.1:${port}/api`, { origin: EVIL });
    expect(result).toMatchObject({ open: false, status: 403 });
    expect(JSON.parse((result as { body: string }).body)).toMatchObject({
      retcode: 1403,
      message: 'origin https://evil.example is not allowed: set a token or add it to allowedOrigins',
    });
    expect(adapter.status()).toMatchObject({ websocketConnections: 0 });
    expect(backend.calls).toHaveLength(0);
  });

  it("upgrades bots without Origin, the listener's own page, and listed origins", async () => {
    const { port } = await startServer({ enableWebsocket: true, allowedOrigins: ['https://app.example'] });
    const base = `ws://127.0.0.1:${port}/api`;
    expect((await handshake(base)).open).toBe(true);
    expect((await handshake(base, { origin: `http://127.0.0.1:${port}` })).open).toBe(true);
    expect((await handshake(base, { origin: 'https://app.example' })).open).toBe(true);
    expect(await handshake(base, { origin: 'https://other.example' })).toMatchObject({ status: 403 });
  });

  it('with a token, any page holding the right token is upgraded', async () => {
    const { port } = await startServer({ enableWebsocket: true, token: 'tok' });
    const base = `ws://127.0.0.1:${port}/api`;
    expect((await handshake(base, { origin: EVIL, authorization: 'Bearer tok' })).open).toBe(true);
    expect(await handshake(base, { origin: EVIL, authorization: 'Bearer no' })).toMatchObject({
      status: 403,
    });
  });

  it('a reload of allowedOrigins applies to the next handshake and keeps open connections', async () => {
    const { port, adapter } = await startServer({ enableWebsocket: true, allowedOrigins: [EVIL] });
    const base = `ws://127.0.0.1:${port}/api`;
    const first = await handshake(base, { origin: EVIL });
    expect(first.open).toBe(true);
    await adapter.reload({ ...adapter.currentConfig(), allowedOrigins: [] });
    expect(await handshake(base, { origin: EVIL })).toMatchObject({ status: 403 });
    expect(await call((first as { ws: WebSocket }).ws, 'get_login_info')).toMatchObject({ retcode: 0 });
    expect(adapter.status()).toMatchObject({ websocketConnections: 1 });
  });
});
