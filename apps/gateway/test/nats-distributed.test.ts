import { afterEach, describe, expect, it } from 'vitest';
import { startNatsCluster, SANDBOX_SELF_ID, type NatsCluster } from './support/nats-cluster.js';
import { connectWs, type TestWsClient } from './support/ws-client.js';

describe('distributed mode: sandbox origin -> real nats-server -> edge gateway', () => {
  let cluster: NatsCluster | undefined;
  const clients: TestWsClient[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await cluster?.stop();
    cluster = undefined;
  });

  it('a ws client on the edge gets the origin’s events and its actions land in the sandbox with their echo', async () => {
    cluster = await startNatsCluster();
    const edge = await cluster.startEdge({ websocketServers: [{ name: 'edge-ws', enable: true, port: 0 }] });
    const health = await edge.admin<{ status: string; backend: { type: string; selfId: number } }>(
      '/api/health',
    );
    expect(health.body).toMatchObject({ status: 'ok', backend: { type: 'nats', selfId: SANDBOX_SELF_ID } });

    const client = await connectWs(`ws://127.0.0.1:${(await edge.adapter('edge-ws')).port}/`);
    clients.push(client);
    expect(await client.next((frame) => frame.sub_type === 'connect')).toMatchObject({
      self_id: SANDBOX_SELF_ID,
    });

    const ids: number[] = [];
    for (let index = 0; index < 20; index += 1) ids.push(await cluster.inject(`hello ${index}`));
    await client.next((frame) => frame.message_id === ids.at(-1), 10_000);
    const received = client.frames.filter((frame) => frame.post_type === 'message');
    expect(received.map((frame) => frame.message_id)).toEqual(ids);
    expect(received[0]).toMatchObject({ self_id: SANDBOX_SELF_ID, user_id: 10001, raw_message: 'hello 0' });

    const answer = await client.call('send_private_msg', { user_id: 10001, message: 'reply from the edge' });
    expect(answer).toMatchObject({ status: 'ok', retcode: 0, data: { message_id: expect.any(Number) } });
    const history = await cluster.origin.admin<{ messages: Array<{ raw_message: string }> }>(
      '/api/sandbox/messages?message_type=private&user_id=10001',
    );
    expect(history.body.messages.map((message) => message.raw_message)).toContain('reply from the edge');

    const bridge = await cluster.origin.adapter('to-nats');
    expect(bridge).toMatchObject({
      kind: 'natsBridges',
      status: 'running',
      connections: 1,
      actionsHandled: 1,
    });
  });
});
