import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultDashboardRoot } from '@onebot-gateway/dashboard';
import { createRecordingLogger } from '@onebot-gateway/testkit';
import { createLoginLimiter } from '../src/admin/login-limiter.js';
import { useGatewayProcesses } from './support/fixture.js';

const ADMIN_TOKEN = 'dashboard-admin-secret';

beforeAll(() => {
  const page = join(defaultDashboardRoot(), 'index.html');
  if (!existsSync(page)) throw new Error(`${page} is missing: run pnpm build (the dashboard's app) first`);
});

describe('the dashboard on the admin API (in-process gateway on the sandbox)', () => {
  const fixture = useGatewayProcesses();

  async function start(adminToken = ADMIN_TOKEN) {
    const logger = createRecordingLogger();
    const gateway = await fixture.start({
      logger,
      config: {
        network: { httpServers: [{ name: 'api', enable: true, port: 0 }] },
        gateway: { admin: { enable: true, host: '127.0.0.1', port: 0, token: adminToken } },
      },
    });
    return { base: `http://${gateway.adminAddress()!}`, logger };
  }

  it('serves the page at / and its routes without a token, while /api and /metrics still need it', async () => {
    const { base } = await start();
    for (const path of ['/', '/network', '/sandbox']) {
      const page = await fetch(`${base}${path}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(await page.text()).toContain('<div id="app"></div>');
    }
    expect((await fetch(`${base}/api/adapters`)).status).toBe(401);
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    expect((await fetch(`${base}/api/unknown`)).status).toBe(401);
  });

  it('answers /api/session with whether a token is needed and whether the one sent is right, without 401/403', async () => {
    const { base } = await start();
    const ask = async (token?: string) => {
      const response = await fetch(
        `${base}/api/session`,
        token ? { headers: { authorization: `Bearer ${token}` } } : {},
      );
      return { status: response.status, body: await response.json() };
    };
    expect(await ask()).toEqual({ status: 200, body: { tokenRequired: true, authenticated: false } });
    expect(await ask('wrong')).toEqual({ status: 200, body: { tokenRequired: true, authenticated: false } });
    expect(await ask(ADMIN_TOKEN)).toEqual({
      status: 200,
      body: { tokenRequired: true, authenticated: true },
    });
  });

  it('says no token is needed when gateway.admin.token is empty', async () => {
    const { base } = await start('');
    expect(await (await fetch(`${base}/api/session`)).json()).toEqual({
      tokenRequired: false,
      authenticated: true,
    });
  });

  it('refuses an address with 429 and Retry-After after 10 wrong tokens, even the right one, and never logs a token', async () => {
    const { base, logger } = await start();
    for (let i = 0; i < 10; i++) {
      const path = i % 2 === 0 ? '/api/adapters' : '/api/session';
      const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer guess-${i}` } });
      expect(response.status).toBe(i % 2 === 0 ? 403 : 200);
    }
    for (const path of ['/api/adapters', '/api/session']) {
      const refused = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await refused.json()) as { error: string }).error).toMatch(
        /^too many wrong admin API tokens from this address; try again in \d+ s$/,
      );
    }
    // The page itself still loads: it holds no data.
    expect((await fetch(`${base}/`)).status).toBe(200);
    expect(JSON.stringify(logger.records)).not.toContain(ADMIN_TOKEN);
  });

  it('reports the version, uptime and memory for the overview', async () => {
    const { base } = await start();
    const body = (await (
      await fetch(`${base}/api/adapters`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    ).json()) as {
      gateway: { version: string; uptimeSeconds: number; memory: { rss: number; heapUsed: number } };
    };
    expect(body.gateway.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(body.gateway.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(body.gateway.memory.rss).toBeGreaterThan(0);
  });

  it('recalls a sandbox message as its sender through /api/sandbox/recall', async () => {
    const { base } = await start();
    const headers = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
    const sent = (await (
      await fetch(`${base}/api/sandbox/messages`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ message_type: 'group', group_id: 20001, user_id: 10001, message: 'oops' }),
      })
    ).json()) as { message_id: number };
    const recall = await fetch(`${base}/api/sandbox/recall`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ message_id: sent.message_id }),
    });
    expect(recall.status).toBe(200);
    expect(((await recall.json()) as { event: Record<string, unknown> }).event).toMatchObject({
      notice_type: 'group_recall',
      message_id: sent.message_id,
    });
    const bad = await fetch(`${base}/api/sandbox/recall`, { method: 'POST', headers, body: '{}' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'send a JSON object {message_id, operator_id?}' });
  });
});

describe('createLoginLimiter', () => {
  it('forgets an address when its window ends and keeps at most maxAddresses', () => {
    let now = 0;
    const limiter = createLoginLimiter({ maxFailures: 2, windowMs: 1000, maxAddresses: 2, now: () => now });
    limiter.fail('a');
    limiter.fail('a');
    expect(limiter.retryAfterMs('a')).toBe(1000);
    now = 400;
    expect(limiter.retryAfterMs('a')).toBe(600);
    now = 1000;
    expect(limiter.retryAfterMs('a')).toBe(0);
    limiter.fail('b');
    limiter.fail('b');
    limiter.fail('c');
    limiter.fail('d'); // forgets b, the oldest
    expect(limiter.retryAfterMs('b')).toBe(0);
  });
});

describe('the dashboard on a token-less admin API', () => {
  const fixture = useGatewayProcesses();

  it('opens from a link on another site, while that site still cannot call the API', async () => {
    const gateway = await fixture.start({
      logger: createRecordingLogger(),
      config: {
        network: { httpServers: [{ name: 'api', enable: true, port: 0 }] },
        gateway: { admin: { enable: true, host: '127.0.0.1', port: 0, token: '' } },
      },
    });
    const base = `http://${gateway.adminAddress()!}`;
    const fromElsewhere = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' };
    const page = await fetch(`${base}/`, { headers: fromElsewhere });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="app"></div>');
    const api = await fetch(`${base}/api/adapters`, { headers: fromElsewhere });
    expect(api.status).toBe(403);
    const query = await fetch(`${base}/api?x=1`, { headers: fromElsewhere });
    expect(query.status).toBe(403);
    const post = await fetch(`${base}/`, { method: 'POST', headers: { origin: 'https://evil.example' } });
    expect(post.status).toBe(403);
  });
});
