import { connect } from 'node:net';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { OneBotError, type Backend } from '@onebot-gateway/core';
import { createRecordingLogger } from '@onebot-gateway/testkit';
import { startAdminServer } from '../src/admin/admin-server.js';
import type { GatewayHandle } from '../src/index.js';
import { postJson, TEST_ADMIN } from './support/admin.js';
import { startFakeUpstream, UPSTREAM_SELF_ID } from './support/fake-upstream.js';
import { useGatewayProcesses } from './support/fixture.js';

describe('admin API (in-process gateway, upstream backend)', () => {
  const fixture = useGatewayProcesses();
  let gateway: GatewayHandle;

  async function start(options: { adminToken?: string; network?: Record<string, unknown[]> } = {}) {
    const upstream = await fixture.fakeUpstream();
    const logger = createRecordingLogger();
    gateway = await fixture.start({
      logger,
      config: {
        network: options.network ?? {
          httpServers: [{ name: 'api', enable: true, port: 0, token: 'adapter-secret' }],
        },
        gateway: {
          backend: { type: 'upstream', url: upstream.url, token: 'upstream-secret' },
          admin: { enable: true, host: '127.0.0.1', port: 0, token: options.adminToken ?? '' },
        },
      },
    });
    return { base: `http://${gateway.adminAddress()!}`, logger };
  }

  it('reports adapters with address and counters and never a token', async () => {
    const { base, logger } = await start();
    const response = await fetch(`${base}/api/adapters`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      adapters: Array<Record<string, unknown>>;
      backend: Record<string, unknown>;
    };
    expect(body.adapters).toHaveLength(1);
    expect(body.adapters[0]).toMatchObject({
      name: 'api',
      kind: 'httpServers',
      enable: true,
      status: 'running',
      connections: expect.any(Number),
    });
    expect(body.adapters[0]!.address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(body.backend).toMatchObject({ type: 'upstream', selfId: UPSTREAM_SELF_ID });
    const everything = JSON.stringify(body) + logger.text();
    expect(everything).not.toMatch(/adapter-secret|upstream-secret/);
  });

  it('relays an HTTP API action to the upstream', async () => {
    await start();
    const address = gateway.adapters()[0]!.address!;
    const response = await fetch(`http://${address}/get_login_info`, {
      headers: { authorization: 'Bearer adapter-secret' },
    });
    expect(await response.json()).toMatchObject({
      status: 'ok',
      retcode: 0,
      data: { user_id: UPSTREAM_SELF_ID },
    });
    const adapters = (await (await fetch(`http://${gateway.adminAddress()!}/api/adapters`)).json()) as {
      adapters: Array<{ actionsHandled: number }>;
    };
    expect(adapters.adapters[0]!.actionsHandled).toBeGreaterThanOrEqual(1);
  });

  it('is healthy when every enabled adapter runs', async () => {
    const { base } = await start();
    const response = await fetch(`${base}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', reasons: [] });
  });

  it('answers 503 with the reason when an adapter could not start', async () => {
    const taken = await fixture.occupyPort();
    const { base } = await start({
      network: {
        httpServers: [
          { name: 'clashing', enable: true, port: taken },
          { name: 'fine', enable: true, port: 0 },
        ],
      },
    });
    const response = await fetch(`${base}/api/health`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { reasons: string[] };
    expect(body.reasons).toHaveLength(1);
    expect(body.reasons[0]).toMatch(/clashing/);
    expect(body.reasons[0]).toMatch(new RegExp(String(taken)));
    expect(gateway.adapters().find((a) => a.name === 'fine')).toMatchObject({ status: 'running' });
  });

  it('serves Prometheus metrics labelled by adapter', async () => {
    const { base } = await start();
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/# TYPE onebot_gateway_events_sent_total counter/);
    expect(text).toMatch(/onebot_gateway_actions_handled_total\{adapter="api",kind="httpServers"\} \d+/);
    expect(text).toMatch(/onebot_gateway_adapter_up\{adapter="api",kind="httpServers"\} 1/);
  });

  it('protects every route with the admin token: 401 missing, 403 wrong, any scheme or access_token accepted', async () => {
    const { base } = await start({ adminToken: 'admin-secret' });
    expect((await fetch(`${base}/api/health`)).status).toBe(401);
    expect((await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer nope' } })).status).toBe(403);
    expect(
      (await fetch(`${base}/api/adapters`, { headers: { authorization: 'Token admin-secret' } })).status,
    ).toBe(200);
    expect((await fetch(`${base}/api/adapters`, { headers: { authorization: 'admin-secret' } })).status).toBe(
      200,
    );
    expect((await fetch(`${base}/api/health?access_token=admin-secret`)).status).toBe(200);
  });

  it('answers 409 on the sandbox routes when the backend is not the sandbox', async () => {
    const { base } = await start();
    const post = await postJson(`${base}/api/sandbox/messages`, {
      message_type: 'private',
      user_id: 1,
      message: 'hi',
    });
    expect(post.status).toBe(409);
    expect(((await post.json()) as { error: string }).error).toMatch(/"upstream".*sandbox/);
    expect((await fetch(`${base}/api/sandbox/messages?message_type=group&group_id=1`)).status).toBe(409);
  });

  it('answers 400 to sandbox calls with bad input before anything else', async () => {
    const { base } = await start();
    const post = await postJson(`${base}/api/sandbox/messages`, {
      message_type: 'channel',
      user_id: 1,
      message: 'hi',
    });
    expect(post.status).toBe(400);
    expect((await fetch(`${base}/api/sandbox/messages?message_type=group`)).status).toBe(400);
  });

  it('survives hostile input: an oversized body is 413, an array body 400, and it keeps serving', async () => {
    const { base } = await start();
    const huge = await postJson(`${base}/api/sandbox/messages`, {
      message_type: 'group',
      user_id: 1,
      group_id: 1,
      message: 'x'.repeat(2 * 1024 * 1024),
    });
    expect(huge.status).toBe(413);
    const array = await postJson(`${base}/api/sandbox/requests`, [1, 2]);
    expect(array.status).toBe(400);
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
  });
});

describe('admin API health follows the backend', () => {
  const fixture = useGatewayProcesses();

  it('answers 503 naming the upstream while a relay cannot reach it', async () => {
    // A port that was just free: the relay's first attempt is refused.
    const closed = await startFakeUpstream();
    await closed.close();
    const gateway = await fixture.start({
      config: {
        network: { httpServers: [{ name: 'api', enable: true, port: 0 }] },
        gateway: {
          backend: { type: 'upstream', url: closed.url, token: 'upstream-secret' },
          admin: { enable: true, host: '127.0.0.1', port: 0 },
        },
      },
    });
    const response = await fetch(`http://${gateway.adminAddress()!}/api/health`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as {
      status: string;
      reasons: string[];
      adapters: Array<{ status: string }>;
    };
    expect(body.status).toBe('degraded');
    expect(body.adapters).toEqual([{ name: 'api', status: 'running' }]);
    expect(body.reasons).toHaveLength(1);
    expect(body.reasons[0]).toMatch(
      new RegExp(
        `^backend "upstream" \\(${closed.url.replace(/[.]/g, '\\.')}\\) is not connected: .*ECONNREFUSED`,
      ),
    );
    expect(JSON.stringify(body)).not.toMatch(/upstream-secret/);
    expect(gateway.health()).toEqual({ healthy: false, reasons: body.reasons });
  });
});

describe('admin sandbox routes: who is at fault', () => {
  const fixture = useGatewayProcesses();

  /** Looks like the sandbox to the routes; each operation fails its own way. */
  function failingSandbox(): Backend & Record<string, unknown> {
    return {
      type: 'sandbox',
      start: async () => undefined,
      stop: async () => undefined,
      selfId: () => 10000,
      status: () => ({ online: true, good: true }),
      simulateMessage: () => {
        throw new OneBotError('BAD_REQUEST', 'user 1 is not a member of group 2');
      },
      simulateRequest: () => {
        throw new TypeError("Cannot read properties of undefined (reading 'flag')");
      },
      conversation: () => {
        throw new OneBotError('INTERNAL', 'history store is corrupt');
      },
    };
  }

  it('answers 400 for a bad request, 500 (logged with the stack) for anything unexpected', async () => {
    const logger = createRecordingLogger();
    const admin = fixture.track(
      await startAdminServer(TEST_ADMIN, { reports: () => [], backend: failingSandbox, logger }),
    );
    const base = `http://${admin.address}`;
    const post = (path: string, body: unknown) => postJson(`${base}${path}`, body);

    const bad = await post('/api/sandbox/messages', {
      message_type: 'group',
      user_id: 1,
      group_id: 2,
      message: 'hi',
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'user 1 is not a member of group 2' });
    expect(logger.records.filter((r) => r.level === 'error')).toHaveLength(0);

    const bug = await post('/api/sandbox/requests', { request_type: 'friend', user_id: 1 });
    expect(bug.status).toBe(500);
    expect(await bug.json()).toEqual({
      error: "internal error: Cannot read properties of undefined (reading 'flag')",
    });
    const internal = await fetch(`${base}/api/sandbox/messages?message_type=group&group_id=2`);
    expect(internal.status).toBe(500);

    const errors = logger.records.filter((r) => r.level === 'error');
    expect(errors.map((r) => [r.msg, r.obj.route])).toEqual([
      [
        "sandbox route failed unexpectedly: Cannot read properties of undefined (reading 'flag')",
        '/api/sandbox/requests',
      ],
      ['sandbox route failed unexpectedly: history store is corrupt', '/api/sandbox/messages'],
    ]);
    expect((errors[0]!.obj.err as Error).stack).toMatch(/TypeError: Cannot read properties/);
  });
});

describe('admin API shutdown', () => {
  it('closes at once although a client holds an idle connection (browsers pre-open them)', async () => {
    const admin = await startAdminServer(TEST_ADMIN, {
      reports: () => [],
      backend: () => ({
        type: 'sandbox',
        start: async () => undefined,
        stop: async () => undefined,
        selfId: () => 10000,
        status: () => ({ online: true, good: true }),
      }),
      logger: createRecordingLogger(),
    } as never);
    const [host, port] = [
      admin.address.slice(0, admin.address.lastIndexOf(':')),
      admin.address.split(':').pop(),
    ];
    const idle = connect(Number(port), host);
    await once(idle, 'connect');
    const closedByServer = once(idle, 'close');
    const started = Date.now();
    await admin.close();
    await closedByServer;
    // Without forceCloseConnections close() waits for the request timeout (10 s).
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
