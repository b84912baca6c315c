import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { GatewayHandle } from '../src/index.js';
import { useGatewayProcesses } from './support/fixture.js';

/** GET with an explicit Host header, as a browser on a rebound name would send it (fetch may not set Host). */
function getWithHost(
  address: string,
  path: string,
  host: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const port = Number(address.slice(address.lastIndexOf(':') + 1));
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { ...headers, host } }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }),
      );
    });
    req.once('error', reject);
    req.end();
  });
}

/** POST a JSON body with an explicit Host header, as a browser behind a reverse proxy sends it. */
function postWithHost(
  address: string,
  path: string,
  host: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const port = Number(address.slice(address.lastIndexOf(':') + 1));
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: {
          ...headers,
          host,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
        },
      },
      (response) => {
        let answer = '';
        response.on('data', (chunk: Buffer) => (answer += chunk.toString()));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(answer) as Record<string, unknown> }),
        );
      },
    );
    req.once('error', reject);
    req.end(text);
  });
}

describe('admin API DNS rebinding guard (Host check on a loopback admin API)', () => {
  const fixture = useGatewayProcesses();
  let gateway: GatewayHandle;

  async function start(admin: Record<string, unknown> = {}): Promise<string> {
    gateway = await fixture.start({
      config: {
        network: {},
        gateway: {
          backend: { type: 'sandbox' },
          admin: { enable: true, host: '127.0.0.1', port: 0, ...admin },
        },
      },
    });
    return gateway.adminAddress()!;
  }

  it('answers 421 with how to allow it to a Host that does not name loopback', async () => {
    const address = await start();
    const port = address.split(':').pop()!;
    for (const host of ['evil.example', `evil.example:${port}`, `localhost.evil.example:${port}`]) {
      const reply = await getWithHost(address, '/api/health', host);
      expect(reply.status).toBe(421);
      expect(reply.body.error).toMatch(/listens on loopback/);
      expect(reply.body.error).toMatch(/gateway\.admin\.allowedHosts/);
    }
  });

  it('serves Host values naming loopback, with any port', async () => {
    const address = await start();
    const port = address.split(':').pop()!;
    for (const host of [
      `localhost:${port}`,
      'localhost',
      `127.0.0.1:${port}`,
      '127.0.0.2',
      `[::1]:${port}`,
    ]) {
      expect((await getWithHost(address, '/api/health', host)).status).toBe(200);
    }
  });

  it('serves the names listed in gateway.admin.allowedHosts, and only those', async () => {
    const address = await start({ allowedHosts: ['Gateway.Lan', 'other.lan:1234'] });
    expect((await getWithHost(address, '/api/health', 'gateway.lan:8080')).status).toBe(200);
    expect((await getWithHost(address, '/api/health', 'other.lan:1234')).status).toBe(200);
    expect((await getWithHost(address, '/api/health', 'other.lan:9999')).status).toBe(421);
    expect((await getWithHost(address, '/api/health', 'evil.example')).status).toBe(421);
  });

  it('checks Host before the token, so a rebound page does not even learn whether one is set', async () => {
    const address = await start({ token: 'admin-secret' });
    const reply = await getWithHost(address, '/api/adapters', 'evil.example', {
      authorization: 'Bearer admin-secret',
    });
    expect(reply.status).toBe(421);
    expect(JSON.stringify(reply.body)).not.toContain('admin-secret');
  });

  it('is off on a non-loopback admin API, where the token guards', async () => {
    const address = await start({ host: '0.0.0.0', token: 'admin-secret' });
    const reply = await getWithHost(address, '/api/health', 'gateway.lan', {
      authorization: 'Bearer admin-secret',
    });
    expect(reply.status).toBe(200);
  });
});

describe('admin API without a token: requests from other sites are refused (CSRF)', () => {
  const fixture = useGatewayProcesses();
  let gateway: GatewayHandle;

  async function start(token = ''): Promise<string> {
    gateway = await fixture.start({
      config: {
        network: {},
        gateway: { backend: { type: 'sandbox' }, admin: { enable: true, host: '127.0.0.1', port: 0, token } },
      },
    });
    return `http://${gateway.adminAddress()!}`;
  }

  const sandboxPost = (headers: Record<string, string>) => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ message_type: 'private', user_id: 10001, message: 'hi' }),
  });

  it('refuses a foreign Origin, or a cross-site request without one, with 403 before the route runs', async () => {
    const base = await start();
    const foreign = await fetch(
      `${base}/api/sandbox/messages`,
      sandboxPost({ origin: 'https://evil.example' }),
    );
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as { error: string }).error).toBe(
      'origin https://evil.example is not allowed: set gateway.admin.token to use the admin API from another site',
    );
    const link = await fetch(`${base}/api/health`, { headers: { 'sec-fetch-site': 'cross-site' } });
    expect(link.status).toBe(403);
    const history = (await (
      await fetch(`${base}/api/sandbox/messages?message_type=private&user_id=10001`)
    ).json()) as { messages: unknown[] };
    expect(history.messages).toHaveLength(0);
  });

  it('serves its own page reached by a name in allowedHosts (reverse proxy), still refuses a foreign Origin', async () => {
    gateway = await fixture.start({
      config: {
        network: {},
        gateway: {
          backend: { type: 'sandbox' },
          admin: { enable: true, host: '127.0.0.1', port: 0, allowedHosts: ['dash.lan'] },
        },
      },
    });
    const address = gateway.adminAddress()!;
    const message = { message_type: 'private', user_id: 10001, message: 'through the proxy' };
    for (const origin of ['http://dash.lan', 'https://dash.lan']) {
      const own = await postWithHost(address, '/api/sandbox/messages', 'dash.lan', { origin }, message);
      expect([origin, own.status]).toEqual([origin, 200]);
    }
    // Same name, another port: not the page the proxy serves.
    const otherPort = await postWithHost(
      address,
      '/api/sandbox/messages',
      'dash.lan',
      { origin: 'http://dash.lan:8081' },
      message,
    );
    expect(otherPort.status).toBe(403);
    const foreign = await postWithHost(
      address,
      '/api/sandbox/messages',
      'dash.lan',
      { origin: 'https://evil.example' },
      message,
    );
    expect(foreign.status).toBe(403);
    expect(foreign.body.error).toBe(
      'origin https://evil.example is not allowed: set gateway.admin.token to use the admin API from another site',
    );
    const history = (await (
      await fetch(`http://${address}/api/sandbox/messages?message_type=private&user_id=10001`)
    ).json()) as { messages: unknown[] };
    expect(history.messages).toHaveLength(2);
  });

  it('serves its own pages and clients without Origin; with a token the token decides', async () => {
    const base = await start();
    expect((await fetch(`${base}/api/sandbox/messages`, sandboxPost({ origin: base }))).status).toBe(200);
    const history = (await (
      await fetch(`${base}/api/sandbox/messages?message_type=private&user_id=10001`)
    ).json()) as { messages: unknown[] };
    expect(history.messages).toHaveLength(1);
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
    await gateway.stop();
    const guarded = await start('admin-secret');
    const withToken = await fetch(`${guarded}/api/health`, {
      headers: { origin: 'https://evil.example', authorization: 'Bearer admin-secret' },
    });
    expect(withToken.status).toBe(200);
  });
});

describe('admin Host guard on a token-less admin API beyond loopback (allowInsecure)', () => {
  const fixture = useGatewayProcesses();
  let gateway: GatewayHandle;

  it('serves address literals and listed names, and refuses other names (a rebound page)', async () => {
    gateway = await fixture.start({
      config: {
        network: {},
        gateway: {
          backend: { type: 'sandbox' },
          admin: {
            enable: true,
            host: '0.0.0.0',
            port: 0,
            allowInsecure: true,
            allowedHosts: ['gateway.lan'],
          },
        },
      },
    });
    const address = gateway.adminAddress()!;
    const port = address.split(':').pop()!;
    expect((await getWithHost(address, '/api/health', `127.0.0.1:${port}`)).status).toBe(200);
    expect((await getWithHost(address, '/api/health', `192.168.1.5:${port}`)).status).toBe(200);
    expect((await getWithHost(address, '/api/health', `gateway.lan:${port}`)).status).toBe(200);
    const rebound = await getWithHost(address, '/api/health', `evil.example:${port}`);
    expect(rebound.status).toBe(421);
    expect(rebound.body.error).toMatch(/only answers Host names that are IP addresses or loopback names/);
  });
});
