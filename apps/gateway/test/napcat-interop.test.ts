import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useGatewayProcesses } from './support/fixture.js';
import { gatewayConfig, until } from './support/gateway-process.js';

const SANDBOX_SELF_ID = 10000;
const ALICE = 10001;
const GROUP = 20001;
// The bot runs in its own plain-Node process: vitest's resolver hands
// node-napcat-ts the browser build of its socket library, which is not what
// its users run.
const botScript = fileURLToPath(new URL('./fixtures/napcat-bot.mjs', import.meta.url));

describe('interop with the published client library node-napcat-ts (forward WebSocket)', () => {
  const fixture = useGatewayProcesses();

  it('connects with its token, calls actions and receives a group message', async () => {
    const gateway = await fixture.spawn(
      gatewayConfig({ websocketServers: [{ name: 'napcat-ws', enable: true, port: 0, token: 'nc-secret' }] }),
    );
    const { port } = await gateway.adapter('napcat-ws');
    const bot = spawn(process.execPath, [botScript, `ws://127.0.0.1:${port}`, 'nc-secret', String(GROUP)], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    fixture.track({ close: () => bot.exitCode === null && bot.kill() });
    const steps: Record<string, unknown> = {};
    let stderr = '';
    let buffered = '';
    bot.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const { step, value } = JSON.parse(line) as { step: string; value: unknown };
        steps[step] = value;
      }
    });
    bot.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => bot.on('exit', resolve));

    await until(() => steps.ready === true || bot.exitCode !== null, 'the bot to finish its calls', 10_000);
    expect(steps.login, stderr).toMatchObject({ user_id: SANDBOX_SELF_ID });
    expect((steps.groups as Array<{ group_id: number }>).map((g) => g.group_id)).toContain(GROUP);
    expect(steps.sent).toMatchObject({ message_id: expect.any(Number) });
    expect(steps.failure).toMatchObject({ status: 'failed', retcode: 100 });

    const injected = await gateway.post<{ message_id: number }>('/api/sandbox/messages', {
      message_type: 'group',
      user_id: ALICE,
      group_id: GROUP,
      message: 'hi [CQ:at,qq=10000]',
    });
    expect(await exited, stderr).toBe(0);
    expect(steps['message.group']).toMatchObject({
      message_id: injected.body.message_id,
      group_id: GROUP,
      user_id: ALICE,
      message: [
        { type: 'text', data: { text: 'hi ' } },
        { type: 'at', data: { qq: '10000' } },
      ],
    });

    const history = await gateway.admin<{ messages: Array<{ raw_message: string }> }>(
      `/api/sandbox/messages?message_type=group&group_id=${GROUP}`,
    );
    expect(history.body.messages.map((m) => m.raw_message)).toEqual([
      'from napcat-ts',
      'hi [CQ:at,qq=10000]',
    ]);
  });
});
