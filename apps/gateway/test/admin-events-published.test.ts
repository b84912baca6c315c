import { describe, expect, it } from 'vitest';
import { useGatewayProcesses } from './support/fixture.js';
import { gatewayConfig } from './support/gateway-process.js';

interface AdaptersBody {
  adapters: Array<{ name: string; eventsSent: number }>;
  gateway: { eventsPublished: number };
}

describe('GET /api/adapters: gateway.eventsPublished counts each event once', () => {
  const fixture = useGatewayProcesses();

  it('one group message delivered through three adapters is one event published (and three sent)', async () => {
    const gateway = await fixture.spawn(
      gatewayConfig({
        websocketServers: ['a', 'b', 'c'].map((name) => ({ name, enable: true, port: 0 })),
      }),
    );
    const clients = [];
    for (const name of ['a', 'b', 'c']) {
      const client = await fixture.connect(gateway, name);
      clients.push(client);
      await client.next((frame) => frame.meta_event_type === 'lifecycle');
    }
    const before = (await gateway.admin<AdaptersBody>('/api/adapters')).body;
    const simulated = await gateway.post('/api/sandbox/messages', {
      message_type: 'group',
      user_id: 10001,
      group_id: 20001,
      message: 'once',
    });
    expect(simulated.status).toBe(200);
    await Promise.all(clients.map((client) => client.next((frame) => frame.raw_message === 'once')));
    const after = (await gateway.admin<AdaptersBody>('/api/adapters')).body;
    const sent = (body: AdaptersBody) =>
      body.adapters.reduce((total, adapter) => total + adapter.eventsSent, 0);
    expect(sent(after) - sent(before)).toBe(3);
    expect(after.gateway.eventsPublished - before.gateway.eventsPublished).toBe(1);
  });
});
