import { describe, expect, it } from 'vitest';
import { createRecordingLogger } from '@onebot-gateway/testkit';
import { startAdminServer } from '../src/admin/admin-server.js';
import { TEST_ADMIN } from './support/admin.js';
import { useGatewayProcesses } from './support/fixture.js';
import { gatewayConfig } from './support/gateway-process.js';

interface Pending {
  requests: Array<{ flag: string; request_type: string; user_id: number; comment: string }>;
}

describe('GET /api/sandbox/requests: the requests still waiting for the bot', () => {
  const fixture = useGatewayProcesses();

  it('lists a request until a bot answers it through an adapter', async () => {
    const gateway = await fixture.spawn(
      gatewayConfig({ websocketServers: [{ name: 'ws', enable: true, port: 0 }] }),
    );
    const bot = await fixture.connect(gateway, 'ws');
    const sent = await gateway.post<{ flag: string }>('/api/sandbox/requests', {
      request_type: 'friend',
      user_id: 10003,
      comment: 'hi',
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
    const admin = fixture.track(
      await startAdminServer(
        { ...TEST_ADMIN, maxConnections: 8 },
        {
          reports: () => [],
          backend: () => ({ type: 'upstream', selfId: () => 1, status: () => ({ online: true }) }) as never,
          logger: createRecordingLogger(),
        },
      ),
    );
    const response = await fetch(`http://${admin.address}/api/sandbox/requests`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: string }).error).toContain('the backend is "upstream"');
  });
});
