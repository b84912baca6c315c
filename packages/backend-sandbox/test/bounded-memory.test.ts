import {
  createActionRouter,
  createEventBus,
  noopLogger,
  type ActionRouter,
  type EventBus,
} from '@onebot-gateway/core';
import { expectLoopDelayBounded, retainedBytesAfterGc } from '@onebot-gateway/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createSandboxBackend, resolveSandboxConfig, type SandboxConfigInput } from '../src/index.js';
import { ALICE, GROUP, createHarness, text, type Harness } from './harness.js';

const MiB = 1024 * 1024;

let h: Harness | undefined;
afterEach(async () => {
  await h?.dispose();
  h = undefined;
});

/**
 * A sandbox with no subscriber that keeps events (the test harness records
 * every event, which would retain what the history forgets).
 */
function createBareSandbox(config: SandboxConfigInput): {
  router: ActionRouter;
  bus: EventBus;
  dispose(): Promise<void>;
} {
  const router = createActionRouter();
  const bus = createEventBus();
  const backend = createSandboxBackend({
    config: { type: 'sandbox', ...config },
    router,
    bus,
    logger: noopLogger,
  });
  return {
    router,
    bus,
    async dispose() {
      await backend.stop();
      router.dispose();
    },
  };
}

/** Groups 30001.. with no members: one conversation each. */
function groups(count: number): SandboxConfigInput['groups'] {
  return Array.from({ length: count }, (_, index) => ({ group_id: 30001 + index }));
}

describe('history bounded in bytes', () => {
  it('has documented byte defaults, and refuses bounds that do not nest', () => {
    expect(resolveSandboxConfig({})).toMatchObject({
      maxMessageBytes: MiB,
      historyConversationBytes: 4 * MiB,
      historyTotalBytes: 32 * MiB,
    });
    expect(() => resolveSandboxConfig({ maxMessageBytes: 5 * MiB })).toThrow(
      /gateway\.backend\.maxMessageBytes: 5242880 is more than historyConversationBytes/,
    );
    expect(() => resolveSandboxConfig({ historyConversationBytes: 64 * MiB })).toThrow(
      /gateway\.backend\.historyConversationBytes: 67108864 is more than historyTotalBytes/,
    );
    expect(() => resolveSandboxConfig({ historyTotalBytes: 0 })).toThrow(
      /gateway\.backend\.historyTotalBytes: expected an integer >= 1/,
    );
  });

  it('refuses a message over maxMessageBytes with retcode 100 and the reason, and publishes nothing', async () => {
    h = await createHarness();
    const atLimit = await h.call('send_group_msg', { group_id: GROUP, message: text('x'.repeat(MiB)) });
    expect(atLimit.retcode).toBe(0);
    h.take();
    const over = await h.call('send_group_msg', { group_id: GROUP, message: text('x'.repeat(MiB + 1)) });
    expect(over).toMatchObject({ status: 'failed', retcode: 100 });
    expect(over.message).toBe(
      "the message is 1048577 bytes as a CQ string, over the sandbox's limit of 1048576 (gateway.backend.maxMessageBytes); send a smaller one",
    );
    expect(h.take()).toEqual([]);
    // Escaping counts: 300 KiB of `&` is 1.5 MiB as a CQ string.
    const escaped = await h.call('send_private_msg', {
      user_id: ALICE,
      message: text('&'.repeat(300 * 1024)),
    });
    expect(escaped.retcode).toBe(100);
  });

  it('refuses a forward message over maxMessageBytes too', async () => {
    h = await createHarness({ maxMessageBytes: 1000 });
    const node = (content: string) => ({ type: 'node', data: { nickname: 'n', content: text(content) } });
    const ok = await h.call('send_group_forward_msg', { group_id: GROUP, messages: [node('x'.repeat(500))] });
    expect(ok.retcode).toBe(0);
    const over = await h.call('send_group_forward_msg', {
      group_id: GROUP,
      messages: [node('x'.repeat(600)), node('y'.repeat(600))],
    });
    expect(over.retcode).toBe(100);
    expect(over.message).toContain('the forward message is 1202 bytes as a CQ string');
  });

  it('forgets the oldest messages of a conversation past historyConversationBytes', async () => {
    h = await createHarness({ maxMessageBytes: 1000, historyConversationBytes: 4000 });
    const ids: number[] = [];
    for (let n = 0; n < 6; n += 1) {
      const sent = await h.ok<{ message_id: number }>('send_group_msg', {
        group_id: GROUP,
        message: text(String(n).repeat(1000)),
      });
      ids.push(sent.message_id);
    }
    const found = await Promise.all(ids.map((message_id) => h!.call('get_msg', { message_id })));
    expect(found.map((response) => response.retcode)).toEqual([100, 100, 0, 0, 0, 0]);
    expect(found[0]!.message).toContain('historyConversationBytes 4000 per conversation');
    // Another conversation is untouched by this one's bound.
    const other = await h.ok<{ message_id: number }>('send_private_msg', {
      user_id: ALICE,
      message: text('hi'),
    });
    expect((await h.call('get_msg', { message_id: other.message_id })).retcode).toBe(0);
  });

  it('forgets the oldest message anywhere past historyTotalBytes', async () => {
    h = await createHarness({
      maxMessageBytes: 1000,
      historyConversationBytes: 2000,
      historyTotalBytes: 3000,
      groups: groups(3),
    });
    const ids: number[] = [];
    for (const group_id of [30001, 30002, 30003, 30001]) {
      const sent = await h.ok<{ message_id: number }>('send_group_msg', {
        group_id,
        message: text('z'.repeat(1000)),
      });
      ids.push(sent.message_id);
    }
    const found = await Promise.all(ids.map((message_id) => h!.call('get_msg', { message_id })));
    expect(found.map((response) => response.retcode)).toEqual([100, 0, 0, 0]);
  });

  it('keeps the heap bounded while many big messages go through', async () => {
    const sandbox = createBareSandbox({ groups: groups(16) });
    try {
      const before = retainedBytesAfterGc();
      // 16 conversations x 8 messages of 1 MiB = 128 MiB sent; the defaults keep 32 MiB.
      for (let round = 0; round < 8; round += 1) {
        for (let index = 0; index < 16; index += 1) {
          // A fresh string each time: a repeated literal would be one shared string.
          const message = text(`${round}-${index}-`.padEnd(MiB - 16, 'm'));
          const response = await sandbox.router.handle({
            action: 'send_group_msg',
            params: { group_id: 30001 + index, message },
          });
          expect(response.retcode).toBe(0);
        }
      }
      const grown = retainedBytesAfterGc() - before;
      // 32 MiB of history plus slack for the code's own allocations; without
      // the byte bounds all 128 MiB stay (1000 messages per conversation).
      expect(grown).toBeLessThan(48 * MiB);
    } finally {
      await sandbox.dispose();
    }
  });
});

describe('CQ escaping does not freeze the loop', () => {
  it('a message of 4 MiB of "&" costs about what a plain message of the same event size does', async () => {
    const sandbox = createBareSandbox({
      maxMessageBytes: 32 * MiB,
      historyConversationBytes: 32 * MiB,
      historyTotalBytes: 64 * MiB,
    });
    // What an adapter does with each event: read its bytes, in string format
    // (the message as one CQ string), as a reverse-WS or HTTP POST client would.
    sandbox.bus.subscribe({ format: 'string', reportSelfMessage: true }, (delivered) => {
      expect(delivered.buffer.length).toBeGreaterThan(20 * MiB);
    });
    const send = (message: string) => async () => {
      const response = await sandbox.router.handle({
        action: 'send_group_msg',
        params: { group_id: GROUP, message: text(message) },
      });
      expect(response.retcode).toBe(0);
    };
    try {
      // 4 MiB of `&` is 20 MiB once escaped (`&amp;`), and every later step
      // (raw message, event bytes) handles those 20 MiB: the plain message is
      // one whose escaped form is as long, 20 MiB of `x`. With one
      // concatenation per `&` the hostile one cost 4x that and more; linear
      // escaping costs about what JSON.stringify spends on the same bytes
      // (measured 1.7x to 1.8x on a loaded 2-core machine).
      const comparison = await expectLoopDelayBounded({
        plain: send('x'.repeat(20 * MiB)),
        hostile: send('&'.repeat(4 * MiB)),
        maxRatio: 3,
      });
      expect(comparison.withinLimit).toBe(true);
    } finally {
      await sandbox.dispose();
    }
  });
});
