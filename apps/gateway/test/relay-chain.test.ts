import { describe, expect, it } from 'vitest';
import { useGatewayProcesses } from './support/fixture.js';
import { gatewayConfig, until } from './support/gateway-process.js';

const SANDBOX_SELF_ID = 10000;
const ALICE = 10001;
const GROUP = 20001;

describe('chain: sandbox gateway -> relay gateway (upstream backend) -> client', () => {
  const fixture = useGatewayProcesses();

  it('relays events (re-encoded per adapter format) and actions, and fails clearly when the upstream goes away', async () => {
    const sandbox = await fixture.spawn(
      gatewayConfig({
        websocketServers: [{ name: 'upstream-ws', enable: true, port: 0, token: 'a-secret' }],
      }),
    );
    const upstreamPort = (await sandbox.adapter('upstream-ws')).port;
    const relay = await fixture.spawn(
      gatewayConfig(
        { websocketServers: [{ name: 'relay-ws', enable: true, port: 0, messagePostFormat: 'string' }] },
        {
          backend: {
            type: 'upstream',
            url: `ws://127.0.0.1:${upstreamPort}`,
            token: 'a-secret',
            timeout: 2000,
            reconnectInterval: 200,
          },
        },
      ),
    );
    const relayInfo = await relay.admin<{ backend: { type: string; selfId: number } }>('/api/adapters');
    expect(relayInfo.body.backend).toMatchObject({ type: 'upstream', selfId: SANDBOX_SELF_ID });

    const client = await fixture.connect(relay, 'relay-ws');
    // The relay makes its own lifecycle event, with the upstream's account.
    expect(await client.next((f) => f.sub_type === 'connect')).toMatchObject({ self_id: SANDBOX_SELF_ID });

    expect(await client.call('get_login_info')).toMatchObject({
      retcode: 0,
      data: { user_id: SANDBOX_SELF_ID },
    });

    const injected = await sandbox.post<{ message_id: number }>('/api/sandbox/messages', {
      message_type: 'group',
      user_id: ALICE,
      group_id: GROUP,
      message: [{ type: 'text', data: { text: 'through [two] hops' } }],
    });
    const event = await client.next((f) => f.post_type === 'message');
    expect(event).toMatchObject({
      self_id: SANDBOX_SELF_ID,
      message_id: injected.body.message_id,
      group_id: GROUP,
      message_format: 'string',
      message: 'through &#91;two&#93; hops',
    });

    const sent = await client.call('send_group_msg', { group_id: GROUP, message: 'reply via relay' });
    expect(sent).toMatchObject({ retcode: 0, data: { message_id: expect.any(Number) } });
    const history = await sandbox.admin<{ messages: Array<{ raw_message: string; user_id: number }> }>(
      `/api/sandbox/messages?message_type=group&group_id=${GROUP}`,
    );
    expect(history.body.messages.map((m) => m.raw_message)).toEqual([
      'through &#91;two&#93; hops',
      'reply via relay',
    ]);

    // What the upstream answers, the client gets: a failure from the sandbox passes through.
    expect(await client.call('get_group_info', { group_id: 424242 })).toMatchObject({
      status: 'failed',
      retcode: 100,
    });

    await sandbox.stop();
    const down = await until(async () => {
      const response = await client.call('get_login_info');
      return response.retcode !== 0 ? response : undefined;
    }, 'the relay to notice the upstream is gone');
    expect(down).toMatchObject({ status: 'failed', retcode: 100 });
    expect(String(down.message)).toMatch(/not connected|closed before/);
    expect(
      (await relay.admin<{ backend: { status: { online: boolean } } }>('/api/adapters')).body.backend.status
        .online,
    ).toBe(false);
    expect(relay.logs.map((l) => JSON.stringify(l)).join('\n')).not.toMatch(/a-secret/);
  });
});
