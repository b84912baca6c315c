import { expect, it } from 'vitest';
import type WebSocket from 'ws';
import { closeSocket, connectBotSocket, type BotSocket } from './conformance/ws-bot.js';
import { echoFrameOfBytes, type BadInputFixture } from './http-bad-input-fixture.js';

/** Bad input on the WebSocket API of `enableWebsocket`: the frame limit is maxBodySize. */
export function websocketUpgradeCases({ start, stillServes, track }: BadInputFixture): void {
  const maxBodySize = 4096;

  async function openApi(url: string): Promise<BotSocket> {
    const bot = await connectBotSocket(`${url.replace(/^http/, 'ws')}/api`);
    if ('rejected' in bot) throw new Error(`handshake refused with ${bot.status}`);
    track(bot);
    return bot;
  }

  function closeCode(ws: WebSocket): Promise<number> {
    return new Promise((resolve) => ws.once('close', (code) => resolve(code)));
  }

  async function stillAnswers(url: string): Promise<void> {
    const other = await openApi(url);
    other.ws.send(JSON.stringify({ action: 'get_login_info', echo: 'alive' }));
    expect(await other.next()).toMatchObject({ retcode: 0, echo: 'alive' });
    await stillServes(url);
  }

  it('answers a binary frame with 1400 and no echo, then keeps the connection', async () => {
    const { url, backend } = await start({ enableWebsocket: true, maxBodySize });
    const api = await openApi(url);
    api.ws.send(Buffer.from(JSON.stringify({ action: 'get_login_info', echo: 'bin' })), { binary: true });
    const answer = await api.next();
    expect(answer).toMatchObject({ status: 'failed', retcode: 1400 });
    expect(answer).not.toHaveProperty('echo');
    expect(String(answer.message)).toMatch(/text frame/);
    api.ws.send(JSON.stringify({ action: 'get_login_info', echo: 'text' }));
    expect(await api.next()).toMatchObject({ retcode: 0, echo: 'text' });
    expect(backend.calls).toHaveLength(0);
  });

  it('answers a frame exactly at the limit and closes with 1009 one byte over it', async () => {
    const { url } = await start({ enableWebsocket: true, maxBodySize });
    const api = await openApi(url);
    const fits = echoFrameOfBytes(maxBodySize);
    expect(Buffer.byteLength(fits)).toBe(maxBodySize);
    api.ws.send(fits);
    expect(await api.next()).toMatchObject({ retcode: 0, echo: 1 });
    const closed = closeCode(api.ws);
    api.ws.send(`${fits} `);
    expect(await closed).toBe(1009);
    await stillAnswers(url);
  });

  it('closes a connection that sends invalid UTF-8 in a text frame with 1007', async () => {
    const { url } = await start({ enableWebsocket: true, maxBodySize });
    const api = await openApi(url);
    const closed = closeCode(api.ws);
    // ws's client does not validate outgoing text, so these bytes go out as a text frame.
    api.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect(await closed).toBe(1007);
    await closeSocket(api.ws);
    await stillAnswers(url);
  });
}
