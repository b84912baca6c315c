import { afterEach, describe, expect, it } from 'vitest';
import { call, startServer, stopAll } from './helpers.js';

afterEach(stopAll);

const EVIL = 'https://evil.example';
/** What a cross-site HTML form sends: no preflight, the action would run. */
const formPost = (origin: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...origin },
  body: 'user_id=10001&message=hello',
});

describe('http-server without a token: requests from other sites are refused (CSRF)', () => {
  it.each([true, false])(
    'refuses a cross-site form POST with 403 before the action runs (enableCors %s)',
    async (enableCors) => {
      const { url, backend } = await startServer({ enableCors });
      const reply = await call(`${url}/send_private_msg`, formPost({ origin: EVIL }));
      expect(reply.status).toBe(403);
      expect(reply.body).toMatchObject({
        status: 'failed',
        retcode: 1403,
        message: 'origin https://evil.example is not allowed: set a token or add it to allowedOrigins',
      });
      expect(backend.calls).toHaveLength(0);
    },
  );

  it('logs one warn line per refused origin, repeats at debug', async () => {
    const { url, backend } = await startServer();
    for (let i = 0; i < 3; i += 1) await call(`${url}/get_login_info`, { headers: { origin: EVIL } });
    const lines = backend.logger.records.filter((r) => r.msg.startsWith('HTTP request refused'));
    expect(lines.map((r) => r.level)).toEqual(['warn', 'debug', 'debug']);
    expect(lines[0]!.msg).toContain('origin https://evil.example is not allowed');
  });

  it('refuses a cross-site GET that carries no Origin (an image or a link) by its Sec-Fetch-Site', async () => {
    const { url, backend } = await startServer();
    for (const site of ['cross-site', 'same-site']) {
      const reply = await call(`${url}/send_private_msg?user_id=10001&message=x`, {
        headers: { 'sec-fetch-site': site },
      });
      expect(reply.status).toBe(403);
      expect(String(reply.body.message)).toMatch(/another site .*set a token/);
    }
    expect(backend.calls).toHaveLength(0);
  });

  it("serves bots, the address bar, the server's own page and listed origins", async () => {
    const { url, backend } = await startServer({ allowedOrigins: ['https://app.example'] });
    const variants: Array<Record<string, string>> = [
      {},
      { 'sec-fetch-site': 'none' },
      { 'sec-fetch-site': 'same-origin', origin: url },
      { origin: 'https://app.example', 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of variants) {
      expect((await call(`${url}/send_private_msg`, formPost(headers))).status, JSON.stringify(headers)).toBe(
        200,
      );
    }
    expect(backend.calls).toHaveLength(variants.length);
  });

  it('leaves the decision to the token when one is set', async () => {
    const { url } = await startServer({ token: 'tok' });
    expect((await call(`${url}/send_private_msg`, formPost({ origin: EVIL }))).status).toBe(401);
    const reply = await call(`${url}/send_private_msg?access_token=tok`, formPost({ origin: EVIL }));
    expect(reply.status).toBe(200);
  });

  it('follows allowedOrigins and token changes on reload in place', async () => {
    const server = await startServer();
    const status = async () =>
      (await call(`${server.url}/get_login_info`, { headers: { origin: EVIL } })).status;
    expect(await status()).toBe(403);
    await server.adapter.reload({ ...server.adapter.currentConfig(), allowedOrigins: [EVIL] });
    expect(await status()).toBe(200);
    await server.adapter.reload({ ...server.adapter.currentConfig(), allowedOrigins: [] });
    expect(await status()).toBe(403);
    await server.adapter.reload({ ...server.adapter.currentConfig(), token: 'tok' });
    expect(await status()).toBe(401);
  });
});
