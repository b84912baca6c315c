import { describe, expect, it } from 'vitest';
import { useGatewayProcesses } from './support/fixture.js';
import { gatewayConfig, type GatewayProcess } from './support/gateway-process.js';
import { connectWs, type TestWsClient } from './support/ws-client.js';

const SANDBOX_SELF_ID = 10000;
const ALICE = 10001;
const GROUP = 20001;

describe('the real gateway on the sandbox backend', () => {
  const fixture = useGatewayProcesses();
  let gateway: GatewayProcess;

  async function start(network: Record<string, unknown[]>): Promise<GatewayProcess> {
    gateway = await fixture.spawn(gatewayConfig(network));
    return gateway;
  }

  function ws(adapterName: string, path = '/', token?: string): Promise<TestWsClient> {
    return fixture.connect(gateway, adapterName, { path, token });
  }

  function simulate(
    body: Record<string, unknown>,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    return gateway.post<Record<string, unknown>>('/api/sandbox/messages', body);
  }

  it('delivers a simulated group message to WebSocket clients in each format, and stores both directions', async () => {
    await start({
      websocketServers: [
        { name: 'ws-array', enable: true, port: 0, token: 'ws-secret' },
        { name: 'ws-string', enable: true, port: 0, messagePostFormat: 'string' },
      ],
    });
    const arrayClient = await ws('ws-array', '/', 'ws-secret');
    const stringClient = await ws('ws-string');
    await arrayClient.next((f) => f.meta_event_type === 'lifecycle' && f.sub_type === 'connect');
    expect((await arrayClient.next((f) => f.meta_event_type === 'lifecycle')).self_id).toBe(SANDBOX_SELF_ID);

    const sent = await simulate({
      message_type: 'group',
      user_id: ALICE,
      group_id: GROUP,
      message: 'hello [CQ:face,id=14]',
    });
    expect(sent.status).toBe(200);
    const messageId = sent.body.message_id;
    expect(messageId).toEqual(expect.any(Number));

    const asArray = await arrayClient.next((f) => f.post_type === 'message');
    expect(asArray).toMatchObject({
      self_id: SANDBOX_SELF_ID,
      message_type: 'group',
      group_id: GROUP,
      user_id: ALICE,
      message_id: messageId,
      message: [
        { type: 'text', data: { text: 'hello ' } },
        { type: 'face', data: { id: '14' } },
      ],
      raw_message: 'hello [CQ:face,id=14]',
      message_format: 'array',
    });
    const asString = await stringClient.next((f) => f.post_type === 'message');
    expect(asString).toMatchObject({
      message: 'hello [CQ:face,id=14]',
      message_format: 'string',
      message_id: messageId,
    });

    const reply = await arrayClient.call('send_group_msg', {
      group_id: String(GROUP),
      message: [{ type: 'text', data: { text: 'hi Alice' } }],
    });
    expect(reply).toMatchObject({ status: 'ok', retcode: 0, data: { message_id: expect.any(Number) } });

    const stored = await gateway.admin<{ messages: Array<Record<string, unknown>> }>(
      `/api/sandbox/messages?message_type=group&group_id=${GROUP}`,
    );
    expect(stored.status).toBe(200);
    expect(stored.body.messages.map((m) => [m.user_id, m.message_id])).toEqual([
      [ALICE, messageId],
      [SANDBOX_SELF_ID, (reply.data as { message_id: number }).message_id],
    ]);
    expect(stored.body.messages[1]!.message).toEqual([{ type: 'text', data: { text: 'hi Alice' } }]);
    const newest = await gateway.admin<{ messages: Array<{ user_id: number }> }>(
      `/api/sandbox/messages?message_type=group&group_id=${GROUP}&limit=1`,
    );
    expect(newest.body.messages.map((m) => m.user_id)).toEqual([SANDBOX_SELF_ID]);

    const adapters = await gateway.adapter('ws-array');
    expect(adapters).toMatchObject({ status: 'running', connections: 1 });
    expect(adapters.eventsSent).toBeGreaterThanOrEqual(1);
    expect(adapters.actionsHandled).toBeGreaterThanOrEqual(1);
  });

  it('refuses a WebSocket client with the wrong token before the upgrade', async () => {
    await start({ websocketServers: [{ name: 'ws', enable: true, port: 0, token: 'right' }] });
    const { port } = await gateway.adapter('ws');
    await expect(connectWs(`ws://127.0.0.1:${port}/`, { authorization: 'Bearer wrong' })).rejects.toThrow(
      /403/,
    );
  });

  it('serves the HTTP API against the sandbox world, and simulated requests give a flag that approves', async () => {
    await start({ httpServers: [{ name: 'http', enable: true, port: 0 }] });
    const { port } = await gateway.adapter('http');
    const api = `http://127.0.0.1:${port}`;

    const members = await (await fetch(`${api}/get_group_member_list?group_id=${GROUP}`)).json();
    expect(members).toMatchObject({ retcode: 0 });
    expect((members as { data: Array<{ user_id: number }> }).data.map((m) => m.user_id)).toContain(ALICE);

    const privateReply = await fetch(`${api}/send_private_msg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user_id: ALICE, message: 'ping' }),
    });
    expect(await privateReply.json()).toMatchObject({ retcode: 0, data: { message_id: expect.any(Number) } });
    const privateHistory = await gateway.admin<{
      messages: Array<{ raw_message: string; user_id: number }>;
    }>(`/api/sandbox/messages?message_type=private&user_id=${ALICE}`);
    expect(privateHistory.body.messages.map((m) => [m.user_id, m.raw_message])).toEqual([
      [SANDBOX_SELF_ID, 'ping'],
    ]);

    const request = await gateway.post<{ flag: string }>('/api/sandbox/requests', {
      request_type: 'friend',
      user_id: 55555,
      comment: 'add me',
    });
    expect(request.status).toBe(200);
    expect(request.body.flag).toEqual(expect.any(String));
    const approve = await (
      await fetch(`${api}/set_friend_add_request?flag=${encodeURIComponent(request.body.flag)}&approve=true`)
    ).json();
    expect(approve).toMatchObject({ retcode: 0 });
    const friends = (await (await fetch(`${api}/get_friend_list`)).json()) as {
      data: Array<{ user_id: number }>;
    };
    expect(friends.data.map((f) => f.user_id)).toContain(55555);
  });

  it('answers 400 naming the problem when a simulated message does not fit the world', async () => {
    await start({ websocketServers: [{ name: 'ws', enable: true, port: 0 }] });
    const unknownGroup = await simulate({
      message_type: 'group',
      user_id: ALICE,
      group_id: 99999,
      message: 'hi',
    });
    expect(unknownGroup.status).toBe(400);
    expect(String(unknownGroup.body.error)).toMatch(/99999/);
    const notJson = await gateway.admin('/api/sandbox/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expect(notJson.status).toBe(400);
  });
});
