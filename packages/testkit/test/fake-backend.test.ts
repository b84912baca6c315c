import { describe, expect, it } from 'vitest';
import { createFakeBackend, FAKE_SELF_ID } from '../src/index.js';

describe('fake backend', () => {
  it('answers actions through the router with echo and coercion', async () => {
    const backend = createFakeBackend();
    const ctx = backend.context('t');
    const response = await ctx.callAction({
      action: 'send_private_msg',
      params: { user_id: '42', message: 'hi' },
      echo: 0,
    });
    expect(response).toMatchObject({ status: 'ok', retcode: 0, echo: 0 });
    expect(backend.calls[0]).toMatchObject({ action: 'send_private_msg', params: { user_id: 42 } });
    expect(await ctx.callAction({ action: 'nope' })).toMatchObject({ retcode: 1404 });
    expect(await ctx.callAction({ action: 'always_throws' })).toMatchObject({ retcode: 1500 });
    expect(backend.logger.records.some((r) => r.level === 'error')).toBe(true);
  });

  it('delivers events to subscribers, self messages only when asked', () => {
    const backend = createFakeBackend();
    const ctx = backend.context('t');
    const plain: unknown[] = [];
    const withSelf: unknown[] = [];
    ctx.subscribe({ format: 'array', reportSelfMessage: false }, (d) => plain.push(d.event));
    ctx.subscribe({ format: 'string', reportSelfMessage: true }, (d) => withSelf.push(JSON.parse(d.json)));
    backend.emitMessage();
    backend.emitSelfMessage();
    expect(plain).toHaveLength(1);
    expect(withSelf).toHaveLength(2);
    expect(withSelf[1]).toMatchObject({
      post_type: 'message_sent',
      self_id: FAKE_SELF_ID,
      message_format: 'string',
    });
  });

  it('callOf resolves with a call made later, at once with one made before, and rejects after its timeout', async () => {
    const backend = createFakeBackend();
    const ctx = backend.context('t');
    const waiting = backend.callOf('send_group_msg', 2000);
    await ctx.callAction({ action: 'send_group_msg_async', params: { group_id: 7, message: 'bg' } });
    expect(await waiting).toMatchObject({ action: 'send_group_msg', params: { group_id: 7 } });
    expect(await backend.callOf('send_group_msg', 0)).toMatchObject({ params: { group_id: 7 } });
    await expect(backend.callOf('send_private_msg', 20)).rejects.toThrow(
      /no send_private_msg call within 20 ms/,
    );
  });
});
