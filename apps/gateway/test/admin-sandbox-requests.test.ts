import { afterEach, describe, expect, it } from 'vitest';
import { createRecordingLogger } from '@onebot-gateway/testkit';
import { startAdminServer, type AdminServer } from '../src/admin/admin-server.js';
import { gatewayConfig, spawnGateway, type GatewayProcess } from './support/gateway-process.js';
import { connectWs, type TestWsClient } from './support/ws-client.js';

interface Pending {
  requests: Array<{ flag: string; request_type: string; user_id: number; comment: string }>;
}

describe('GET /api/sandbox/requests: the requests still waiting for the bot', () => {
  let gateway: GatewayProcess | undefined;
  let admin: AdminServer | undefined;
  let bot: TestWsClient | undefined;
  afterEach(async () => {
    await bot?.close();
    await gateway?.stop();
    await admin?.close();
    gateway = admin = bot = undefined;
  });

  it('lists a request until a bot answers it through an adapter', async () => {
    gateway = await spawnGateway(
      gatewayConfig({ websocketServers: [{ name: 'ws', enable: true, port: 0 }] }),
    );
    const { port } = await gateway.adapter('ws');
    bot = await connectWs(`ws://127.0.0.1:${port}/`);
    const sent = await gateway.admin<{ flag: string }>('/api/sandbox/requests', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ request_type: 'friend', user_id: 10003, comment: 'hi' }),
    });
    expect(sent.status).toBe(200);
    const before = await gateway.admin<Pending>('/api/sandbox/requests');
    expect(before.status).toBe(200);
    expect(before.body.requests).toEqual([
      expect.objectContaining({
        flag: sent.body.flag,
        request_type: 'friend',
        user_id: 10003,
        comment: 'hi',
      }),
    ]);
    expect((await bot.call('set_friend_add_request', { flag: sent.body.flag, approve: false })).retcode).toBe(
      0,
    );
    expect((await gateway.admin<Pending>('/api/sandbox/requests')).body.requests).toEqual([]);
  });

  it('is a 404 naming the backend on a relay', async () => {
    admin = await startAdminServer(
      {
        enable: true,
        host: '127.0.0.1',
        port: 0,
        token: '',
        allowedHosts: [],
        allowInsecure: false,
        maxConnections: 8,
      },
      {
        reports: () => [],
        backend: () => ({ type: 'upstream', selfId: () => 1, status: () => ({ online: true }) }) as never,
        logger: createRecordingLogger(),
      },
    );
    const response = await fetch(`http://${admin.address}/api/sandbox/requests`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: string }).error).toContain('the backend is "upstream"');
  });
});
