import { afterEach, describe, expect, it } from 'vitest';
import { call, startServer, stopAll } from './helpers.js';

afterEach(stopAll);

const TOKEN = 's3cret-token';

describe('http-server authentication', () => {
  it('accepts everything, whatever auth is sent, when no token is configured', async () => {
    const { url } = await startServer();
    const variants: Array<Record<string, string>> = [
      {},
      { authorization: 'Token undefined' },
      { authorization: 'Bearer whatever' },
    ];
    for (const headers of variants) {
      expect((await call(`${url}/get_login_info`, { headers })).status).toBe(200);
    }
    expect((await call(`${url}/get_login_info?access_token=`)).status).toBe(200);
  });

  it.each([
    ['Bearer scheme', { authorization: `Bearer ${TOKEN}` }, ''],
    ['Token scheme', { authorization: `Token ${TOKEN}` }, ''],
    ['bare header', { authorization: TOKEN }, ''],
    ['query', {}, `?access_token=${TOKEN}`],
  ])('accepts the right token by %s', async (_label, headers, query) => {
    const { url } = await startServer({ token: TOKEN });
    const reply = await call(`${url}/get_login_info${query}`, { headers });
    expect(reply.status).toBe(200);
    expect(reply.body.status).toBe('ok');
  });

  it.each([
    ['no token at all', {}, '', 401, 1401],
    ['an empty access_token', {}, '?access_token=', 401, 1401],
    ['a scheme without a token', { authorization: 'Bearer' }, '', 401, 1401],
    ['a wrong header token', { authorization: 'Bearer nope' }, '', 403, 1403],
    ['a wrong query token', {}, '?access_token=nope', 403, 1403],
    ['a token differing in case', { authorization: `Bearer ${TOKEN.toUpperCase()}` }, '', 403, 1403],
  ])('refuses %s', async (_label, headers, query, status, retcode) => {
    const { url, backend } = await startServer({ token: TOKEN });
    const reply = await call(`${url}/send_private_msg${query}${query ? '&' : '?'}user_id=1&message=x`, {
      headers,
    });
    expect(reply.status).toBe(status);
    expect(reply.body).toMatchObject({ status: 'failed', retcode, data: null });
    expect(String(reply.body.message)).not.toContain(TOKEN);
    expect(backend.calls).toHaveLength(0);
  });

  it('refuses POST / without a token before reading the body', async () => {
    const { url, backend } = await startServer({ token: TOKEN, maxBodySize: 100 });
    const reply = await call(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'send_msg', pad: 'x'.repeat(500) }),
    });
    expect(reply.status).toBe(401);
    expect(backend.calls).toHaveLength(0);
  });

  it('applies a token change on reload in place', async () => {
    const server = await startServer({ token: TOKEN });
    const address = server.adapter.status().address;
    await server.adapter.reload({ ...server.adapter.currentConfig(), token: 'other' });
    expect(server.adapter.status().address).toBe(address);
    expect((await call(`${server.url}/get_login_info?access_token=${TOKEN}`)).status).toBe(403);
    expect((await call(`${server.url}/get_login_info?access_token=other`)).status).toBe(200);
  });
});

describe('http-server CORS', () => {
  const preflight = {
    method: 'OPTIONS',
    headers: {
      origin: 'https://app.example',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, content-type',
    },
  };

  it('answers a preflight before authentication when enableCors is on', async () => {
    const { url } = await startServer({ token: TOKEN, enableCors: true });
    const response = await fetch(`${url}/send_msg`, preflight);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(response.headers.get('access-control-allow-methods')).toMatch(/POST/);
    expect(response.headers.get('access-control-allow-headers')).toMatch(/authorization/i);
  });

  it('sets Access-Control-Allow-Origin on answers, refusals included', async () => {
    const { url } = await startServer({ token: TOKEN, enableCors: true });
    const ok = await fetch(`${url}/get_login_info?access_token=${TOKEN}`, {
      headers: { origin: 'https://app.example' },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example');
    const refused = await fetch(`${url}/get_login_info`, { headers: { origin: 'https://app.example' } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe('https://app.example');
  });

  it('sets no CORS header at all when enableCors is off, and preflight is a 405', async () => {
    const { url } = await startServer({ token: TOKEN, enableCors: false });
    const response = await fetch(`${url}/send_msg`, preflight);
    expect(response.status).toBe(405);
    const ok = await fetch(`${url}/get_login_info?access_token=${TOKEN}`, {
      headers: { origin: 'https://app.example' },
    });
    expect(ok.status).toBe(200);
    for (const h of [...response.headers.keys(), ...ok.headers.keys()])
      expect(h).not.toMatch(/^access-control-/);
    expect(ok.headers.get('vary') ?? '').not.toMatch(/origin/i);
  });

  it('switches CORS off on reload (the adapter rebinds)', async () => {
    // Listed, so the token-less server serves this origin at all (see the origin tests below).
    const server = await startServer({ enableCors: true, allowedOrigins: ['https://app.example'] });
    await server.adapter.reload({ ...server.adapter.currentConfig(), enableCors: false, port: server.port });
    const response = await fetch(`${server.url}/get_login_info`, {
      headers: { origin: 'https://app.example' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('http-server CORS without a token: only pages allowed to use the adapter', () => {
  const EVIL = 'https://evil.example';

  it('grants no origin to a foreign page, on answers and on preflights', async () => {
    const { url } = await startServer({ enableCors: true });
    const answer = await fetch(`${url}/get_login_info`, { headers: { origin: EVIL } });
    expect(answer.status).toBe(403);
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
    const preflight = await fetch(`${url}/send_msg`, {
      method: 'OPTIONS',
      headers: { origin: EVIL, 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it("grants the listener's own page", async () => {
    const { url } = await startServer({ enableCors: true });
    const response = await fetch(`${url}/get_login_info`, { headers: { origin: url } });
    expect(response.headers.get('access-control-allow-origin')).toBe(url);
  });

  it('grants a listed origin, and follows allowedOrigins and token changes on reload in place', async () => {
    const server = await startServer({ enableCors: true, allowedOrigins: ['https://app.example'] });
    const address = server.adapter.status().address;
    const origin = async (value: string) =>
      (await fetch(`${server.url}/get_login_info`, { headers: { origin: value } })).headers.get(
        'access-control-allow-origin',
      );
    expect(await origin('https://app.example')).toBe('https://app.example');
    expect(await origin(EVIL)).toBeNull();

    await server.adapter.reload({ ...server.adapter.currentConfig(), allowedOrigins: [EVIL] });
    expect(server.adapter.status().address).toBe(address);
    expect(await origin('https://app.example')).toBeNull();
    expect(await origin(EVIL)).toBe(EVIL);

    await server.adapter.reload({ ...server.adapter.currentConfig(), allowedOrigins: [], token: TOKEN });
    expect(server.adapter.status().address).toBe(address);
    expect(await origin('https://any.example')).toBe('https://any.example');
  });

  it('preflights offer only the methods the API answers (no HEAD)', async () => {
    for (const token of ['', TOKEN]) {
      const { url } = await startServer({ enableCors: true, token });
      const response = await fetch(`${url}/send_msg`, {
        method: 'OPTIONS',
        headers: { origin: url, 'access-control-request-method': 'POST' },
      });
      expect(response.headers.get('access-control-allow-methods')).toBe('GET, POST');
      const head = await fetch(`${url}/get_login_info`, { method: 'HEAD' });
      expect(head.status).toBe(405);
    }
  });
});
