import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { roleForPath } from '../src/index.js';
import { createHarness, drain, rawUpgrade, type Harness } from './helpers.js';

describe('roleForPath', () => {
  it('maps /api and /event (with or without slash) and everything else to universal', () => {
    expect(['/api', '/api/', '/api?access_token=x'].map(roleForPath)).toEqual(['api', 'api', 'api']);
    expect(['/event', '/event/', '/event/?a=1'].map(roleForPath)).toEqual(['event', 'event', 'event']);
    expect(['/', '/ws', '/api/x', '/apix', '/onebot/v11/ws', '/event//'].map(roleForPath)).toEqual(
      Array(6).fill('universal'),
    );
  });
});

describe('paths and roles over real sockets', () => {
  let h: Harness;
  beforeEach(() => {
    h = createHarness();
  });
  afterEach(() => h.teardown());

  it('/api never sees an event or meta event; /event and universal get connect first, then events', async () => {
    const adapter = await h.start({ heartInterval: 50 });
    const api = await h.connect(adapter, '/api/');
    const event = await h.connect(adapter, '/event');
    const universal = await h.connect(adapter, '/some/deep/path');
    for (const socket of [event, universal]) {
      expect(await socket.next()).toMatchObject({
        post_type: 'meta_event',
        meta_event_type: 'lifecycle',
        sub_type: 'connect',
      });
    }
    h.backend.emitMessage({ message_id: 11 });
    for (const socket of [event, universal]) {
      let frame = await socket.next();
      while (frame.meta_event_type === 'heartbeat') frame = await socket.next();
      expect(frame).toMatchObject({ post_type: 'message', message_id: 11 });
    }
    // Let heartbeats pass, then prove /api still got nothing but its own answer.
    await new Promise((resolve) => setTimeout(resolve, 120));
    api.ws.send(JSON.stringify({ action: 'get_login_info', echo: 'api' }));
    expect(await api.next()).toMatchObject({ retcode: 0, echo: 'api' });
    expect(await drain(api)).toEqual([]);
  });

  it('/event ignores frames (push only); universal answers them', async () => {
    const adapter = await h.start();
    const event = await h.connect(adapter, '/event/');
    const universal = await h.connect(adapter, '/');
    await event.next();
    await universal.next();
    event.ws.send(
      JSON.stringify({ action: 'send_private_msg', params: { user_id: 1, message: 'x' }, echo: 1 }),
    );
    universal.ws.send(JSON.stringify({ action: 'get_login_info', echo: 2 }));
    expect(await universal.next()).toMatchObject({ retcode: 0, echo: 2 });
    expect(await drain(event)).toEqual([]);
    expect(h.backend.calls).toHaveLength(0);
  });

  it('answers a plain HTTP request with 426 and refuses bad tokens with plain 401/403 and no socket', async () => {
    const adapter = await h.start({ token: 'tok' });
    const base = `http://${adapter.status().address}`;
    const plain = await fetch(`${base}/api`);
    expect(plain.status).toBe(426);
    const statuses = await Promise.all(
      [undefined, 'Bearer nope'].map(
        (authorization) =>
          new Promise<number>((resolve, reject) => {
            const ws = new WebSocket(`ws://${adapter.status().address}/`, {
              headers: authorization ? { authorization } : {},
            });
            ws.on('unexpected-response', (_req, res) => {
              res.resume();
              ws.terminate();
              resolve(res.statusCode ?? 0);
            });
            ws.on('open', () => reject(new Error('the handshake should have been refused')));
            ws.on('error', () => {});
          }),
      ),
    );
    expect(statuses).toEqual([401, 403]);
    expect(adapter.status().connections).toBe(0);
    // No socket is left behind: the server itself closes the TCP connection after the refusal
    // (the ws client above would hide that, it closes its side on a refusal).
    for (const [headers, status] of [
      [{}, 401],
      [{ authorization: 'Bearer nope' }, 403],
    ] as const) {
      const raw = await rawUpgrade(adapter.status().address!, '/', headers);
      expect(raw.response).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
      expect(raw.response).not.toMatch(/Upgrade: websocket/i);
      expect(raw.closedByServer, 'the server kept the refused connection open').toBe(true);
    }
  });

  it('enableForcePushEvent false holds events on universal connections until their first frame', async () => {
    const adapter = await h.start({ enableForcePushEvent: false });
    const universal = await h.connect(adapter, '/');
    const event = await h.connect(adapter, '/event');
    await universal.next();
    await event.next();
    h.backend.emitMessage({ message_id: 21 });
    expect(await event.next()).toMatchObject({ message_id: 21 });
    expect(await drain(universal)).toEqual([]);
    universal.ws.send(JSON.stringify({ action: 'get_login_info', echo: 'ready' }));
    const frames = [await universal.next(), await universal.next()];
    expect(frames[0]).toMatchObject({ post_type: 'message', message_id: 21 });
    expect(frames[1]).toMatchObject({ echo: 'ready' });
  });

  it('terminates a client that does not answer pings (half-open), keeps one that does', async () => {
    const adapter = await h.start({ heartInterval: 60 });
    const silent = new WebSocket(`ws://${adapter.status().address}/api`, { autoPong: false });
    silent.on('error', () => {});
    const gone = new Promise<number>((resolve) => silent.once('close', (code) => resolve(code)));
    const alive = await h.connect(adapter, '/api');
    expect(await gone).toBe(1006);
    expect(alive.ws.readyState).toBe(WebSocket.OPEN);
    expect(adapter.status().connections).toBe(1);
  });

  it('pre-framed event writes carry every payload size class intact (7-bit, 16-bit, 64-bit lengths)', async () => {
    const adapter = await h.start();
    const clients = await Promise.all([h.connect(adapter, '/event'), h.connect(adapter, '/event')]);
    for (const client of clients) await client.next();
    const sizes = [1, 200, 70_000, 300_000];
    for (const size of sizes)
      h.backend.emitMessage({ message: [{ type: 'text', data: { text: 'y'.repeat(size) } }] });
    for (const client of clients) {
      for (const size of sizes) {
        const event = await client.next();
        expect((event.message as Array<{ data: { text: string } }>)[0]!.data.text).toHaveLength(size);
      }
    }
  });

  it('negotiates no permessage-deflate even when the client offers it', async () => {
    const adapter = await h.start();
    const ws = new WebSocket(`ws://${adapter.status().address}/api`, { perMessageDeflate: true });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    expect(ws.extensions).toBe('');
    ws.close();
  });
});
