import { afterEach, describe, expect, it } from 'vitest';
import { createFakeBackend } from '@onebot-gateway/testkit';
import { createPluginAdapter } from '../src/index.js';
import { waitFor } from './helpers.js';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

async function startExample(options: Record<string, unknown> = {}) {
  const backend = createFakeBackend();
  const adapter = createPluginAdapter(
    { name: 'ping-pong', enable: true, module: '@onebot-gateway/plugin/examples/ping-pong', options },
    backend.context('ping-pong'),
    { baseDir: process.cwd() },
  );
  stops.push(async () => {
    await adapter.stop();
    backend.dispose();
  });
  await adapter.start();
  return backend;
}

function text(message: unknown): string {
  return (message as Array<{ type: string; data: { text?: string } }>).map((s) => s.data.text ?? '').join('');
}

describe('example plugin: ping-pong', () => {
  it('answers ping with pong in private chats', async () => {
    const backend = await startExample();
    backend.emitMessage({ user_id: 123, message: [{ type: 'text', data: { text: 'ping' } }] });
    await waitFor(() => backend.calls.length === 1, 'pong');
    expect(backend.calls[0]).toMatchObject({ action: 'send_private_msg', params: { user_id: 123 } });
    expect(text(backend.calls[0]!.params.message)).toBe('pong');
  });

  it('rolls a die in groups, within the asked number of sides', async () => {
    const backend = await startExample({ sides: 6 });
    for (let i = 0; i < 20; i += 1) {
      backend.emitMessage({
        message_type: 'group',
        group_id: 9,
        message: [{ type: 'text', data: { text: '/roll 20' } }],
      });
    }
    backend.emitMessage({
      message_type: 'group',
      group_id: 9,
      message: [{ type: 'text', data: { text: '/roll' } }],
    });
    await waitFor(() => backend.calls.length === 21, '21 rolls');
    for (const call of backend.calls.slice(0, 20)) {
      const match = /^🎲 (\d+) \(d20\)$/.exec(text(call.params.message));
      expect(match).not.toBeNull();
      expect(Number(match![1])).toBeGreaterThanOrEqual(1);
      expect(Number(match![1])).toBeLessThanOrEqual(20);
    }
    expect(text(backend.calls[20]!.params.message)).toMatch(/\(d6\)$/);
  });

  it('ignores other messages and refuses absurd dice', async () => {
    const backend = await startExample();
    backend.emitMessage({ message: [{ type: 'text', data: { text: 'hello' } }] });
    backend.emitMessage({ message: [{ type: 'text', data: { text: '/roll 1' } }] });
    await waitFor(() => backend.calls.length === 1, 'the refusal');
    expect(text(backend.calls[0]!.params.message)).toMatch(/needs 2 to/);
  });
});
