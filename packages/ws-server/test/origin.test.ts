import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { browserHandshake, callOverWebSocket, type Handshake } from '@onebot-gateway/testkit';
import type { WsServerAdapter } from '../src/index.js';
import { createHarness, rawUpgrade, type Harness } from './helpers.js';

const opened: WebSocket[] = [];

async function handshake(url: string, headers: Record<string, string> = {}): Promise<Handshake> {
  const result = await browserHandshake(url, headers);
  if (result.open) opened.push(result.ws);
  return result;
}

const answer = callOverWebSocket;

const EVIL = 'https://evil.example';

describe('ws-server: browser origins', () => {
  let h: Harness;
  let adapter: WsServerAdapter;
  let url: string;

  beforeEach(() => {
    h = createHarness();
  });
  afterEach(async () => {
    for (const ws of opened.splice(0)) ws.terminate();
    await h.teardown();
  });

  async function start(config: Parameters<Harness['start']>[0] = {}): Promise<void> {
    adapter = await h.start(config);
    url = `ws://${adapter.status().address}`;
  }

  it('refuses a foreign page with 403 before the upgrade when no token is set, and closes the socket', async () => {
    await start();
    const result = await handshake(`${url}/`, { origin: EVIL });
    expect(result).toMatchObject({ open: false, status: 403 });
    const body = JSON.parse((result as { body: string }).body) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'failed', retcode: 1403, data: null });
    expect(body.message).toBe(
      'origin https://evil.example is not allowed: set a token or add it to allowedOrigins',
    );
    expect(adapter.status().connections).toBe(0);

    const raw = await rawUpgrade(adapter.status().address!, '/api', { Origin: EVIL });
    expect(raw.response).toMatch(/^HTTP\/1\.1 403 /);
    expect(raw.closedByServer).toBe(true);
    expect(h.backend.calls).toHaveLength(0);
  });

  it('logs one warning per refused origin; a page retrying in a loop is logged at debug', async () => {
    await start();
    for (let i = 0; i < 3; i++) {
      expect(await handshake(`${url}/`, { origin: EVIL })).toMatchObject({ open: false, status: 403 });
    }
    expect(await handshake(`${url}/`, { origin: 'https://other.example' })).toMatchObject({ status: 403 });
    const refusals = h.backend.logger.records.filter((r) => r.msg.startsWith('WebSocket handshake refused'));
    expect(refusals.map((r) => [r.level, r.obj.origin])).toEqual([
      ['warn', EVIL],
      ['debug', EVIL],
      ['debug', EVIL],
      ['warn', 'https://other.example'],
    ]);
  });

  it('lets a client without Origin (bots, CLI) in', async () => {
    await start();
    const result = await handshake(`${url}/`);
    expect(result.open).toBe(true);
  });

  it("lets the listener's own page in (Origin host:port = Host)", async () => {
    await start();
    const result = await handshake(`${url}/`, { origin: `http://${adapter.status().address}` });
    expect(result.open).toBe(true);
    expect(await (result as { firstFrame: Promise<unknown> }).firstFrame).toMatchObject({
      sub_type: 'connect',
    });
  });

  it('refuses a page on another local port, and a rebound name on the loopback listener', async () => {
    await start();
    const port = adapter.status().address!.split(':').pop();
    expect(await handshake(`${url}/`, { origin: 'http://127.0.0.1:1' })).toMatchObject({ status: 403 });
    // DNS rebinding: evil.example now resolves to 127.0.0.1, so its page's Origin matches its Host.
    const rebound = await handshake(`${url}/`, {
      origin: `http://evil.example:${port}`,
      host: `evil.example:${port}`,
    });
    expect(rebound).toMatchObject({ open: false, status: 403 });
  });

  it('lets a listed origin in (normalised), and only that one', async () => {
    await start({ allowedOrigins: ['https://App.Example/'] });
    expect((await handshake(`${url}/`, { origin: 'https://app.example' })).open).toBe(true);
    expect(await handshake(`${url}/`, { origin: 'https://other.example' })).toMatchObject({ status: 403 });
  });

  it('lets any origin in with "*" in allowedOrigins', async () => {
    await start({ allowedOrigins: ['*'] });
    expect((await handshake(`${url}/`, { origin: EVIL })).open).toBe(true);
  });

  it('with a token set, any page holding the right token gets in; the token still guards', async () => {
    await start({ token: 'tok' });
    const right = await handshake(`${url}/`, { origin: EVIL, authorization: 'Bearer tok' });
    expect(right.open).toBe(true);
    expect(await handshake(`${url}/`, { origin: EVIL })).toMatchObject({ status: 401 });
    expect(await handshake(`${url}/`, { origin: EVIL, authorization: 'Bearer nope' })).toMatchObject({
      status: 403,
    });
  });

  it('a reload of allowedOrigins applies to the next handshake and keeps open connections', async () => {
    await start({ allowedOrigins: ['https://app.example'] });
    const first = await handshake(`${url}/api`, { origin: 'https://app.example' });
    expect(first.open).toBe(true);
    const ws = (first as { ws: WebSocket }).ws;

    await adapter.reload({ ...adapter.config, allowedOrigins: [] });
    expect(await handshake(`${url}/api`, { origin: 'https://app.example' })).toMatchObject({ status: 403 });
    expect(await answer(ws, 'get_login_info')).toMatchObject({ retcode: 0 });
    expect(adapter.status().connections).toBe(1);

    await adapter.reload({ ...adapter.config, allowedOrigins: [EVIL] });
    expect((await handshake(`${url}/api`, { origin: EVIL })).open).toBe(true);
  });

  it('a reload that sets a token opens the adapter to any origin holding it', async () => {
    await start();
    expect(await handshake(`${url}/`, { origin: EVIL })).toMatchObject({ status: 403 });
    await adapter.reload({ ...adapter.config, token: 'tok' });
    expect((await handshake(`${url}/`, { origin: EVIL, authorization: 'Bearer tok' })).open).toBe(true);
  });
});
