import { afterEach, describe, expect, it } from 'vitest';
import { gatewayConfig, spawnGateway, type GatewayProcess } from './support/gateway-process.js';
import { connectWs, type TestWsClient } from './support/ws-client.js';

interface AdaptersBody {
  adapters: Array<{ name: string; eventsSent: number }>;
  gateway: { eventsPublished: number };
}

describe('GET /api/adapters: gateway.eventsPublished counts each event once', () => {
  let gateway: GatewayProcess | undefined;
  const clients: TestWsClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await gateway?.stop();
    gateway = undefined;
  });

  it('one group message delivered through three adapters is one event published (and three sent)', async () => {
    gateway = await spawnGateway(
      gatewayConfig({
        websocketServers: ['a', 'b', 'c'].map((name) => ({ name, enable: true, port: 0 })),
      }),
    );
    for (const name of ['a', 'b', 'c']) {
      const { port } = await gateway.adapter(name);
      const client = await connectWs(`ws://127.0.0.1:${port}/`);
      clients.push(client);
      await client.next((frame) => frame.meta_event_type === 'lifecycle');
    }
    const before = (await gateway.admin<AdaptersBody>('/api/adapters')).body;
    const simulated = await gateway.admin('/api/sandbox/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message_type: 'group', user_id: 10001, group_id: 20001, message: 'once' }),
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
