import { describe, expect, it } from 'vitest';
import { gatewayConfig, until, type GatewayProcess } from './support/gateway-process.js';
import { useGatewayProcesses } from './support/fixture.js';

const SANDBOX_SELF_ID = 10000;
const ALICE = 10001;
const GROUP = 20001;

type StoredMessage = { user_id: number; message_id: number; raw_message: string };

// The example plugin as a user enables it: by package name, resolved from the
// gateway's own dependencies (the built dist of @onebot-gateway/plugin).
describe('the ping-pong example plugin in the real gateway', () => {
  const fixture = useGatewayProcesses();
  let gateway: GatewayProcess;

  async function say(text: string): Promise<number> {
    const sent = await gateway.post<{ message_id: number }>('/api/sandbox/messages', {
      message_type: 'group',
      user_id: ALICE,
      group_id: GROUP,
      message: text,
    });
    expect(sent.status).toBe(200);
    return sent.body.message_id;
  }

  /** The bot's first message in the group after `afterId`, once it is there. */
  function botAnswerAfter(afterId: number): Promise<StoredMessage> {
    return until(async () => {
      const { body } = await gateway.admin<{ messages: StoredMessage[] }>(
        `/api/sandbox/messages?message_type=group&group_id=${GROUP}`,
      );
      const asked = body.messages.findIndex((m) => m.message_id === afterId);
      return asked === -1
        ? undefined
        : body.messages.slice(asked + 1).find((m) => m.user_id === SANDBOX_SELF_ID);
    }, `the bot's answer to message ${afterId}`);
  }

  it('answers ping with pong and /roll with a die throw in a sandbox group', async () => {
    gateway = await fixture.spawn(
      gatewayConfig({
        plugins: [{ name: 'ping-pong', enable: true, module: '@onebot-gateway/plugin/examples/ping-pong' }],
      }),
    );
    expect(await gateway.adapter('ping-pong')).toMatchObject({ kind: 'plugins', status: 'running' });

    const ping = await say('ping');
    expect((await botAnswerAfter(ping)).raw_message).toBe('pong');

    const roll = await say('/roll');
    const rolled = /^🎲 (\d+) \(d6\)$/.exec((await botAnswerAfter(roll)).raw_message);
    expect(rolled).not.toBeNull();
    expect(Number(rolled![1])).toBeGreaterThanOrEqual(1);
    expect(Number(rolled![1])).toBeLessThanOrEqual(6);

    const roll20 = await say('/roll 20');
    expect((await botAnswerAfter(roll20)).raw_message).toMatch(/^🎲 \d+ \(d20\)$/);
  });
});
