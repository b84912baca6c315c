import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPluginHarness, link, makeConfigDir, recorderPlugin, waitFor } from './helpers.js';

const harness = createPluginHarness();
const setup = harness.setup;
afterEach(() => harness.cleanup());

describe('loading', () => {
  it('loads an ESM module by relative path and delivers events', async () => {
    const t = await setup((key) => ({ 'my-plugin.mjs': recorderPlugin(key) }), {
      module: './my-plugin.mjs',
      options: { a: 1 },
    });
    await t.adapter.start();
    expect(t.adapter.status().state).toBe('running');
    t.backend.emitMessage({ message: [{ type: 'text', data: { text: 'ping' } }] });
    await waitFor(() => t.backend.calls.length > 0, 'the pong reply');
    expect(t.backend.calls[0]).toMatchObject({ action: 'send_private_msg', params: { user_id: 20002 } });
    expect(JSON.stringify(t.backend.calls[0]!.params.message)).toContain('pong');
    expect(t.log()!.options).toEqual({ a: 1 });
    expect(existsSync(t.log()!.dataDir!)).toBe(true);
  });

  it('loads a CommonJS module', async () => {
    const t = await setup((key) => ({ 'plugin.cjs': recorderPlugin(key, 'cjs') }), {
      module: './plugin.cjs',
    });
    await t.adapter.start();
    t.backend.emitMessage();
    await waitFor(() => (t.log()?.events.length ?? 0) > 0, 'an event');
    expect(t.log()!.events[0]).toMatchObject({ post_type: 'message' });
  });

  it('loads plugins/<name> from package.json main, else index.mjs/index.js', async () => {
    const withMain = await setup((key) => ({
      'plugins/p/package.json': JSON.stringify({ name: 'p', main: 'lib/main.mjs' }),
      'plugins/p/lib/main.mjs': recorderPlugin(key),
    }));
    await withMain.adapter.start();
    expect(withMain.log()!.setups).toBe(1);

    const withIndex = await setup((key) => ({ 'plugins/p/index.js': recorderPlugin(key, 'cjs') }));
    await withIndex.adapter.start();
    expect(withIndex.log()!.setups).toBe(1);
  });

  it('loads an installed package by name', async () => {
    const t = await setup(
      (key) => ({
        'node_modules/onebot-plugin-demo/package.json': JSON.stringify({
          name: 'onebot-plugin-demo',
          main: 'index.cjs',
        }),
        'node_modules/onebot-plugin-demo/index.cjs': recorderPlugin(key, 'cjs'),
      }),
      { module: 'onebot-plugin-demo' },
    );
    await t.adapter.start();
    expect(t.log()!.setups).toBe(1);
  });

  it('refuses paths that escape through .. or links, with a clear error', async () => {
    const outside = await makeConfigDir({ 'evil.mjs': 'export default { setup() {} };' });
    harness.defer(outside.cleanup);

    const dotdot = await setup(() => ({}), { module: `../${outside.dir.split('/').pop()}/evil.mjs` });
    await expect(dotdot.adapter.start()).rejects.toThrow(/outside/);
    expect(dotdot.adapter.status()).toMatchObject({
      state: 'failed',
      lastError: expect.stringMatching(/outside/),
    });

    const linked = await setup(() => ({ 'plugins/.keep': '' }));
    await link(outside.dir, join(linked.dir, 'plugins', 'p'));
    await expect(linked.adapter.start()).rejects.toThrow(/links to .* outside/);

    const absolute = await setup(() => ({}), { module: join(outside.dir, 'evil.mjs') });
    await expect(absolute.adapter.start()).rejects.toThrow(/outside/);
  });

  it('says what is wrong when nothing can be loaded', async () => {
    const missing = await setup(() => ({}));
    await expect(missing.adapter.start()).rejects.toThrow(/plugin "p": plugin folder .* does not exist/);

    const notAPlugin = await setup(() => ({ 'x.mjs': 'export const hello = 1;' }), { module: './x.mjs' });
    await expect(notAPlugin.adapter.start()).rejects.toThrow(/exports neither a plugin/);

    const syntaxError = await setup(() => ({ 'x.mjs': 'export default {' }), { module: './x.mjs' });
    await expect(syntaxError.adapter.start()).rejects.toThrow(/importing .* failed/);

    const notInstalled = await setup(() => ({}), { module: 'no-such-onebot-plugin' });
    await expect(notInstalled.adapter.start()).rejects.toThrow(/not installed/);
  });
});

describe('events', () => {
  it('sends events in the entry format and self messages only when asked', async () => {
    const asString = await setup((key) => ({ 'p.mjs': recorderPlugin(key) }), {
      module: './p.mjs',
      messagePostFormat: 'string',
    });
    const withSelf = await setup((key) => ({ 'p.mjs': recorderPlugin(key) }), {
      module: './p.mjs',
      reportSelfMessage: true,
    });
    await asString.adapter.start();
    await withSelf.adapter.start();
    for (const t of [asString, withSelf]) {
      t.backend.emitMessage({ message: [{ type: 'face', data: { id: '1' } }] });
      t.backend.emitSelfMessage();
    }
    await waitFor(() => (withSelf.log()?.events.length ?? 0) === 2, 'two events');
    expect(asString.log()!.events).toHaveLength(1);
    expect(asString.log()!.events[0]).toMatchObject({ message_format: 'string', message: '[CQ:face,id=1]' });
    expect(withSelf.log()!.events.map((e) => e.post_type)).toEqual(['message', 'message_sent']);
    expect(Array.isArray(withSelf.log()!.events[0]!.message)).toBe(true);
  });

  it('gives each plugin its own copy of an event', async () => {
    const files = (key: string) => ({
      'p.mjs': `export default { setup(ctx) { ctx.on('*', (e) => { e.message = 'mutated'; (globalThis[${JSON.stringify(key)}] ??= { events: [] }).events.push(e); }); } };`,
    });
    const t = await setup(files, { module: './p.mjs' });
    await t.adapter.start();
    const seenByOthers: string[] = [];
    t.backend
      .context('other')
      .subscribe({ format: 'array', reportSelfMessage: false }, (d) => seenByOthers.push(d.json));
    t.backend.emitMessage();
    expect(t.log()!.events[0]!.message).toBe('mutated');
    expect(seenByOthers[0]).toContain('"hello"');
    expect(seenByOthers[0]).not.toContain('mutated');
  });
});

describe('isolation', () => {
  it('a plugin whose setup throws fails alone; the others keep running', async () => {
    const broken = await setup(
      () => ({ 'p.mjs': 'export default { setup() { throw new Error("boom in setup"); } };' }),
      { module: './p.mjs' },
    );
    const healthy = await setup((key) => ({ 'p.mjs': recorderPlugin(key) }), { module: './p.mjs' });
    await expect(broken.adapter.start()).rejects.toThrow(/setup threw: boom in setup/);
    expect(broken.adapter.status().state).toBe('failed');
    expect(broken.backend.logger.text()).toMatch(/boom in setup/);
    await healthy.adapter.start();
    healthy.backend.emitMessage();
    await waitFor(() => (healthy.log()?.events.length ?? 0) === 1, 'event to the healthy plugin');
  });

  it('handlers that throw, reject or never settle do not hold up the others', async () => {
    const t = await setup(
      (key) => ({
        'p.mjs': `export default { setup(ctx) {
          ctx.on('message', () => { throw new Error('sync boom'); });
          ctx.on('message', async () => { throw new Error('async boom'); });
          ctx.on('message', () => new Promise(() => {}));
          ctx.on('message', (e) => { (globalThis[${JSON.stringify(key)}] ??= { events: [] }).events.push(e); });
        } };`,
      }),
      { module: './p.mjs' },
    );
    await t.adapter.start();
    t.backend.emitMessage();
    t.backend.emitMessage();
    await waitFor(
      () => t.backend.logger.records.filter((r) => r.level === 'error').length === 4,
      'four handler errors logged',
    );
    expect(t.log()!.events).toHaveLength(2);
    const errors = t.backend.logger.records.filter((r) => r.level === 'error');
    expect(errors.every((r) => r.msg.includes('plugin "p"'))).toBe(true);
    expect(t.backend.logger.text()).toMatch(/sync boom/);
    expect(t.backend.logger.text()).toMatch(/async boom/);
  });
});

describe('ctx API', () => {
  it('call returns data, rejects with retcode and message on failure; reply can mention the sender', async () => {
    const t = await setup(
      (key) => ({
        'p.mjs': `export default { async setup(ctx) {
          const out = (globalThis[${JSON.stringify(key)}] = { events: [] });
          out.login = await ctx.call('get_login_info');
          try { await ctx.call('always_fails'); } catch (error) { out.failure = { name: error.name, retcode: error.retcode, message: error.message }; }
          ctx.on('message.group', (e) => ctx.reply(e, 'hi', { atSender: true }));
        } };`,
      }),
      { module: './p.mjs' },
    );
    await t.adapter.start();
    const out = t.log() as unknown as {
      login: unknown;
      failure: { name: string; retcode: number; message: string };
    };
    expect(out.login).toMatchObject({ user_id: 10001 });
    expect(out.failure).toMatchObject({ name: 'PluginActionError', retcode: 100 });
    expect(out.failure.message).toMatch(/always_fails.*always fails/);
    t.backend.emitMessage({ message_type: 'group', group_id: 555, user_id: 777 });
    await waitFor(() => t.backend.calls.some((c) => c.action === 'send_group_msg'), 'group reply');
    const reply = t.backend.calls.find((c) => c.action === 'send_group_msg')!;
    expect(reply.params).toMatchObject({ group_id: 555 });
    expect(reply.params.message).toEqual([
      { type: 'at', data: { qq: '777' } },
      { type: 'text', data: { text: ' ' } },
      { type: 'text', data: { text: 'hi' } },
    ]);
  });
});

describe('reload and stop', () => {
  it('reloads 100 times without leaking subscriptions or handlers, disposing each instance', async () => {
    const t = await setup((key) => ({ 'p.mjs': recorderPlugin(key) }), { module: './p.mjs' });
    await t.adapter.start();
    const subscribersBefore = t.backend.bus.subscriberCount();
    const handlersBefore = t.adapter.handlerCount();
    for (let i = 0; i < 100; i += 1) {
      await t.adapter.reload({ name: 'p', enable: true, module: './p.mjs' } as never);
    }
    expect(t.log()!.setups).toBe(101);
    expect(t.log()!.disposed).toBe(100);
    expect(t.backend.bus.subscriberCount()).toBe(subscribersBefore);
    expect(t.adapter.handlerCount()).toBe(handlersBefore);
    t.backend.emitMessage();
    await waitFor(() => (t.log()?.events.length ?? 0) > 0, 'an event after reloads');
    expect(t.log()!.events).toHaveLength(1);
  });

  it('reload imports the module afresh', async () => {
    const t = await setup(
      () => ({ 'p.mjs': 'export default { setup(ctx) { globalThis.__reloadVersion = 1; } };' }),
      { module: './p.mjs' },
    );
    await t.adapter.start();
    expect((globalThis as Record<string, unknown>).__reloadVersion).toBe(1);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(
      join(t.dir, 'p.mjs'),
      'export default { setup(ctx) { globalThis.__reloadVersion = 2; } };',
    );
    await t.adapter.reload({ name: 'p', enable: true, module: './p.mjs' } as never);
    expect((globalThis as Record<string, unknown>).__reloadVersion).toBe(2);
  });

  it('stop disposes, unsubscribes, and is idempotent; a disposed ctx can no longer call', async () => {
    const t = await setup(
      (key) => ({
        'p.mjs': `export default { setup(ctx) { const out = (globalThis[${JSON.stringify(key)}] = { events: [], disposed: 0 }); out.ctx = ctx; ctx.onDispose(() => { out.disposed += 1; }); } };`,
      }),
      { module: './p.mjs' },
    );
    await t.adapter.start();
    const before = t.backend.bus.subscriberCount();
    await t.adapter.stop();
    await t.adapter.stop();
    expect(t.adapter.status().state).toBe('stopped');
    expect(t.backend.bus.subscriberCount()).toBe(before - 1);
    const out = t.log() as unknown as { disposed: number; ctx: { call(a: string): Promise<unknown> } };
    expect(out.disposed).toBe(1);
    await expect(out.ctx.call('get_login_info')).rejects.toThrow(/disposed/);
  });
});

describe('NapCat compatibility', () => {
  it('runs a NapCat-style module unchanged', async () => {
    const t = await setup(
      (key) => ({
        'napcat-plugin.mjs': `
          const seen = (globalThis[${JSON.stringify(key)}] = { events: [], init: 0, cleanup: 0 });
          export const plugin_init = async (core, obCtx, actions, instance) => { seen.init += 1; seen.uin = core.selfInfo.uin; };
          export const plugin_onmessage = async (adapter, core, obCtx, message, action, instance) => {
            if (message.raw_message === 'ping') {
              seen.ret = await action.get('send_group_msg')?.handle({ group_id: String(message.group_id), message: 'pong' }, adapter, instance.config);
            }
          };
          export const plugin_onevent = async (adapter, core, obCtx, event) => { seen.events.push(event.post_type); };
          export const plugin_cleanup = async () => { seen.cleanup += 1; };
        `,
      }),
      { module: './napcat-plugin.mjs' },
    );
    await t.adapter.start();
    t.backend.emitMessage({
      message_type: 'group',
      group_id: 4242,
      message: [{ type: 'text', data: { text: 'ping' } }],
    });
    await waitFor(() => t.backend.calls.length > 0, 'NapCat-style reply');
    expect(t.backend.calls[0]).toMatchObject({
      action: 'send_group_msg',
      params: { group_id: 4242, message: 'pong' },
    });
    const seen = t.log() as unknown as {
      init: number;
      uin: string;
      ret: unknown;
      events: string[];
      cleanup: number;
    };
    await waitFor(() => seen.ret !== undefined, 'the action response');
    expect(seen).toMatchObject({ init: 1, uin: '10001', events: ['message'] });
    expect(seen.ret).toMatchObject({ status: 'ok', retcode: 0 });
    await t.adapter.stop();
    expect(seen.cleanup).toBe(1);
  });
});

describe('meta events', () => {
  const metaRecorder = (key: string) => ({
    'p.mjs': `export default { setup(ctx) {
      const out = (globalThis[${JSON.stringify(key)}] = { seen: [], events: [] });
      ctx.on('meta_event', (e) => { out.seen.push(e.meta_event_type + ':' + (e.sub_type ?? '')); out.events.push(e); });
      ctx.on('message', () => { out.seen.push('message'); });
      ctx.onDispose(() => { out.seen.push('disposed'); });
    } };`,
  });
  type MetaOut = { seen: string[]; events: Array<Record<string, unknown>> };

  it('delivers lifecycle enable after setup, before any bus event, and disable before disposal', async () => {
    const t = await setup(metaRecorder, { module: './p.mjs' });
    await t.adapter.start();
    t.backend.emitMessage();
    const out = t.log() as unknown as MetaOut;
    await waitFor(() => out.seen.length === 2, 'enable and the message');
    expect(out.seen).toEqual(['lifecycle:enable', 'message']);
    expect(out.events[0]).toMatchObject({
      post_type: 'meta_event',
      meta_event_type: 'lifecycle',
      sub_type: 'enable',
      self_id: 10001,
    });
    expect(typeof out.events[0]!.time).toBe('number');
    await t.adapter.stop();
    expect(out.seen).toEqual(['lifecycle:enable', 'message', 'lifecycle:disable', 'disposed']);
    expect(t.adapter.status().eventsSent).toBe(3);
  });

  it('delivers heartbeats every heartInterval (NapCat-style string too) with the backend status, and none after stop', async () => {
    const t = await setup(metaRecorder, { module: './p.mjs', heartInterval: '30' });
    t.backend.status.good = false;
    await t.adapter.start();
    const out = t.log() as unknown as MetaOut;
    await waitFor(() => out.seen.filter((s) => s === 'heartbeat:').length >= 2, 'two heartbeats');
    const beat = out.events.find((e) => e.meta_event_type === 'heartbeat')!;
    expect(beat).toMatchObject({
      post_type: 'meta_event',
      self_id: 10001,
      interval: 30,
      status: { online: true, good: false },
    });
    await t.adapter.stop();
    const afterStop = out.seen.length;
    // Nothing to await: a stopped heartbeat shows only as silence over several intervals.
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(out.seen.length).toBe(afterStop);
  });

  it('sends no heartbeat by default, and refuses a heartInterval that is not whole milliseconds', async () => {
    const quiet = await setup(metaRecorder, { module: './p.mjs', setupTimeout: 1000 });
    // Heartbeats run on an interval: none may be created without a heartInterval.
    const intervals = vi.spyOn(globalThis, 'setInterval');
    try {
      await quiet.adapter.start();
      expect(intervals).not.toHaveBeenCalled();
    } finally {
      intervals.mockRestore();
    }
    const bad = await setup(metaRecorder, { module: './p.mjs', heartInterval: 'soon' });
    await expect(bad.adapter.start()).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringMatching(/plugins\["p"\]\.heartInterval.*"soon"/),
    });
    expect(bad.adapter.status().state).toBe('failed');
    expect((quiet.log() as unknown as MetaOut).seen).toEqual(['lifecycle:enable']);
  });
});

describe('setup timeout', () => {
  it('fails the start, naming the plugin, when setup never settles; disposes what setup registered', async () => {
    const t = await setup(
      (key) => ({
        'p.mjs': `export default { setup(ctx) {
          const out = (globalThis[${JSON.stringify(key)}] = { disposed: 0, events: [] });
          ctx.onDispose(() => { out.disposed += 1; });
          ctx.on('*', (e) => out.events.push(e));
          return new Promise((resolve) => { out.finish = resolve; });
        } };`,
      }),
      { module: './p.mjs', setupTimeout: 50 },
    );
    const subscribersBefore = t.backend.bus.subscriberCount();
    const startedAt = Date.now();
    await expect(t.adapter.start()).rejects.toMatchObject({
      code: 'PLUGIN_LOAD_FAILED',
      message: expect.stringMatching(/plugin "p": setup did not finish within 50 ms/),
    });
    expect(Date.now() - startedAt).toBeLessThan(2000);
    expect(t.adapter.status()).toMatchObject({
      state: 'failed',
      lastError: expect.stringMatching(/setupTimeout/),
    });
    const out = t.log() as unknown as { disposed: number; events: unknown[]; finish(): void };
    expect(out.disposed).toBe(1);
    expect(t.backend.bus.subscriberCount()).toBe(subscribersBefore);
    t.backend.emitMessage();
    out.finish();
    await t.adapter.stop();
    expect(out.events).toEqual([]);
  });

  it('logs a setup that rejects after it timed out, and its context can no longer act', async () => {
    const t = await setup(
      (key) => ({
        'p.mjs': `export default { async setup(ctx) {
          const out = (globalThis[${JSON.stringify(key)}] = {});
          await new Promise((resolve) => { out.finish = resolve; });
          await ctx.call('get_login_info');
        } };`,
      }),
      { module: './p.mjs', setupTimeout: '40' },
    );
    await expect(t.adapter.start()).rejects.toThrow(/within 40 ms/);
    (t.log() as unknown as { finish(): void }).finish();
    await waitFor(
      () => /setup failed after it had timed out/.test(t.backend.logger.text()),
      'the late failure logged',
    );
    expect(t.backend.logger.text()).toMatch(/disposed/);
  });
});

describe('data folder and options', () => {
  it('refuses a name that would put the data folder outside .data/plugins, in every form', async () => {
    const byPath = await setup((key) => ({ 'p.mjs': recorderPlugin(key) }), {
      name: '../../x',
      module: './p.mjs',
    });
    await expect(byPath.adapter.start()).rejects.toMatchObject({
      code: 'PLUGIN_LOAD_FAILED',
      message: expect.stringMatching(/plugin "\.\.\/\.\.\/x".*may not contain/),
    });
    expect(existsSync(join(byPath.dir, 'x'))).toBe(false);
    expect(byPath.log()).toBeUndefined();

    const byPackage = await setup(
      (key) => ({
        'node_modules/demo/package.json': JSON.stringify({ name: 'demo', main: 'index.cjs' }),
        'node_modules/demo/index.cjs': recorderPlugin(key, 'cjs'),
      }),
      { name: '..', module: 'demo' },
    );
    await expect(byPackage.adapter.start()).rejects.toThrow(/may not contain/);
    expect(existsSync(join(byPackage.dir, '.data'))).toBe(false);
  });

  it('gives the plugin its own copy of the options: changing them changes nothing reload compares', async () => {
    const { diffAdapterConfigs, resolveAdapterConfig } = await import('@onebot-gateway/core');
    const raw = { name: 'p', enable: true, module: './p.mjs', options: { nested: { n: 1 }, list: [1] } };
    const t = await setup(
      () => ({
        'p.mjs': `export default { setup(ctx) {
          ctx.options.nested.n = 2; ctx.options.list.push(2); ctx.options.added = true;
          ctx.on('message', () => { ctx.options.nested.n = 3; });
        } };`,
      }),
      resolveAdapterConfig('plugins', structuredClone(raw)),
    );
    await t.adapter.start();
    t.backend.emitMessage();
    // What the gateway keeps for this entry is what the file says, so re-reading the same file is "unchanged".
    expect(t.config.options).toEqual({ nested: { n: 1 }, list: [1] });
    const diff = diffAdapterConfigs(
      [{ kind: 'plugins', config: t.config as never }],
      [{ kind: 'plugins', config: resolveAdapterConfig('plugins', structuredClone(raw)) }],
    );
    expect(diff.unchanged).toHaveLength(1);
    expect(diff.changed).toHaveLength(0);
  });
});

describe('reply targets', () => {
  const replier = (key: string) => ({
    'p.mjs': `export default { setup(ctx) {
      const out = (globalThis[${JSON.stringify(key)}] = { errors: [] });
      ctx.on('*', async (e) => {
        try { await ctx.reply(e, 'r'); } catch (error) { out.errors.push(error.message); }
      });
    } };`,
  });
  const base = { time: 1, self_id: 10001 };

  it('answers notices and requests in their group, else privately; the bot’s own private message to its peer', async () => {
    const t = await setup(replier, { module: './p.mjs', reportSelfMessage: true });
    await t.adapter.start();
    t.backend.emit({
      ...base,
      post_type: 'notice',
      notice_type: 'group_increase',
      sub_type: 'approve',
      group_id: 41,
      operator_id: 1,
      user_id: 42,
    });
    t.backend.emit({
      ...base,
      post_type: 'request',
      request_type: 'group',
      sub_type: 'add',
      group_id: 43,
      user_id: 44,
      comment: '',
      flag: 'f',
    });
    t.backend.emit({
      ...base,
      post_type: 'request',
      request_type: 'friend',
      user_id: 45,
      comment: '',
      flag: 'g',
    });
    t.backend.emit({
      ...base,
      post_type: 'notice',
      notice_type: 'notify',
      sub_type: 'poke',
      user_id: 10001,
      target_id: 46,
    });
    t.backend.emit({
      ...base,
      post_type: 'message_sent',
      message_type: 'private',
      sub_type: 'friend',
      message_id: 9,
      user_id: 10001,
      target_id: 47,
      message: [{ type: 'text', data: { text: 'mine' } }],
      raw_message: 'mine',
      font: 0,
      sender: { user_id: 10001 },
    });
    t.backend.emit({
      ...base,
      post_type: 'message',
      message_type: 'private',
      sub_type: 'group',
      message_id: 10,
      user_id: 48,
      group_id: 49,
      message: [{ type: 'text', data: { text: 'temp' } }],
      raw_message: 'temp',
      font: 0,
      sender: { user_id: 48 },
    });
    await waitFor(() => t.backend.calls.length === 6, 'six replies');
    expect(
      t.backend.calls.map((c) => [c.action, c.params.group_id ?? null, c.params.user_id ?? null]),
    ).toEqual([
      ['send_group_msg', 41, null],
      ['send_group_msg', 43, null],
      ['send_private_msg', null, 45],
      ['send_private_msg', null, 46],
      ['send_private_msg', null, 47],
      ['send_private_msg', 49, 48],
    ]);
  });

  it('refuses, with a clear error, events that belong to no conversation', async () => {
    const t = await setup(replier, { module: './p.mjs', reportSelfMessage: true });
    await t.adapter.start();
    t.backend.emit({
      ...base,
      post_type: 'message_sent',
      message_type: 'private',
      sub_type: 'friend',
      message_id: 9,
      user_id: 10001,
      message: [{ type: 'text', data: { text: 'to whom?' } }],
      raw_message: 'to whom?',
      font: 0,
      sender: { user_id: 10001 },
    });
    const out = t.log() as unknown as { errors: string[] };
    await waitFor(() => out.errors.length === 2, 'two refusals');
    expect(out.errors).toEqual([
      'plugin "p": ctx.reply cannot answer a meta_event.lifecycle event: it belongs to no conversation with someone else',
      'plugin "p": ctx.reply cannot answer a message_sent.private event: it belongs to no conversation with someone else',
    ]);
    expect(t.backend.calls).toEqual([]);
  });
});

describe('quick operations and module paths', () => {
  it('ctx.quickOperation runs the operation through the router', async () => {
    const t = await setup(
      () => ({
        'p.mjs': `export default { setup(ctx) { ctx.on('message.group', (e) => ctx.quickOperation(e, { reply: 'quick', delete: true })); } };`,
      }),
      { module: './p.mjs' },
    );
    await t.adapter.start();
    t.backend.emitMessage({ message_type: 'group', group_id: 77, message_id: 1234 });
    await waitFor(() => t.backend.calls.length === 2, 'reply and delete');
    expect(t.backend.calls).toEqual([
      {
        action: 'send_group_msg',
        params: expect.objectContaining({
          group_id: 77,
          message: [{ type: 'text', data: { text: 'quick' } }],
        }),
      },
      { action: 'delete_msg', params: { message_id: 1234 } },
    ]);
  });

  it('refuses a module file that is a link to a file outside the config folder', async () => {
    const outside = await makeConfigDir({
      'evil.mjs': 'export default { setup() { globalThis.__evilLoaded = true; } };',
    });
    harness.defer(outside.cleanup);
    const t = await setup(() => ({}), { module: './link.mjs' });
    await link(join(outside.dir, 'evil.mjs'), join(t.dir, 'link.mjs'));
    await expect(t.adapter.start()).rejects.toThrow(
      /module path ".*link\.mjs" links to ".*evil\.mjs", outside/,
    );
    expect((globalThis as Record<string, unknown>).__evilLoaded).toBeUndefined();
  });

  it('decodes file: URLs properly (escaped characters)', async () => {
    const { pathToFileURL } = await import('node:url');
    const t = await setup((key) => ({ 'my plugin%.mjs': recorderPlugin(key) }));
    // The URL names the temp folder, known only now: set the entry while the adapter is idle.
    await t.adapter.reload({
      name: 'p',
      enable: true,
      module: pathToFileURL(join(t.dir, 'my plugin%.mjs')).href,
    } as never);
    await t.adapter.start();
    expect(t.log()!.setups).toBe(1);
  });
});

describe('reload freshness', () => {
  it('a CommonJS plugin reloads the files it requires from its folder, not its node_modules', async () => {
    const t = await setup((key) => ({
      'plugins/p/index.cjs': `const lib = require('./lib.cjs'); const dep = require('dep');
        module.exports = { setup() { globalThis[${JSON.stringify(key)}] = { version: lib.version, depLoads: dep.loads() }; } };`,
      'plugins/p/lib.cjs': 'module.exports = { version: 1 };',
      'plugins/p/node_modules/dep/package.json': JSON.stringify({ name: 'dep', main: 'index.js' }),
      'plugins/p/node_modules/dep/index.js': `globalThis.${key}_dep = (globalThis.${key}_dep ?? 0) + 1; module.exports = { loads: () => globalThis.${key}_dep };`,
    }));
    await t.adapter.start();
    expect(t.log()).toEqual({ version: 1, depLoads: 1 });
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(t.dir, 'plugins/p/lib.cjs'), 'module.exports = { version: 2 };');
    await t.adapter.reload({ name: 'p', enable: true } as never);
    expect(t.log()).toEqual({ version: 2, depLoads: 1 });
  });

  it('a single-file CommonJS plugin reloads what it requires, and leaves the other modules of its (shared) folder cached', async () => {
    const t = await setup(
      (key) => ({
        'a.cjs': `const lib = require('./a-lib.cjs');
        module.exports = { setup() { globalThis[${JSON.stringify(key)}] = { version: lib.version }; } };`,
        'a-lib.cjs': 'module.exports = { version: 1 };',
        'other-plugin.cjs': 'module.exports = { loadedAt: Math.random() };',
      }),
      { module: './a.cjs' },
    );
    const { createRequire } = await import('node:module');
    const requireNextToConfig = createRequire(join(t.dir, 'gateway.js'));
    // Another plugin of the same config folder, already loaded.
    const other = requireNextToConfig('./other-plugin.cjs') as object;
    await t.adapter.start();
    expect(t.log()).toEqual({ version: 1 });
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(t.dir, 'a-lib.cjs'), 'module.exports = { version: 2 };');
    await t.adapter.reload({ name: 'p', enable: true, module: './a.cjs' } as never);
    expect(t.log()).toEqual({ version: 2 });
    expect(requireNextToConfig('./other-plugin.cjs')).toBe(other);
  });
});

describe('reload freshness in plain Node (the gateway runs the built package, not vitest)', () => {
  it('a single-file CommonJS plugin also refreshes what it requires lazily, and leaves other plugins’ modules', async () => {
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    const { fileURLToPath, pathToFileURL } = await import('node:url');
    const dist = (pkg: string) =>
      pathToFileURL(fileURLToPath(new URL(`../../${pkg}/dist/index.js`, import.meta.url))).href;
    const dir = await makeConfigDir({
      'a.cjs': `module.exports = { setup() { globalThis.V = require('./late.cjs').version; } };`,
      'late.cjs': 'module.exports = { version: 1 };',
      'other.cjs': 'module.exports = {};',
    });
    try {
      const script = `
        import { writeFileSync } from 'node:fs';
        import { createRequire } from 'node:module';
        import { createPluginAdapter } from ${JSON.stringify(dist('plugin'))};
        import { createActionRouter, createAdapterContext, createEventBus } from ${JSON.stringify(dist('core'))};
        const dir = ${JSON.stringify(dir.dir)};
        const requireHere = createRequire(dir + '/gateway.js');
        const other = requireHere('./other.cjs');
        const context = createAdapterContext({ router: createActionRouter(), bus: createEventBus(), selfId: () => 1 }, 'p');
        const entry = { name: 'p', enable: true, module: './a.cjs' };
        const adapter = createPluginAdapter(entry, context, { baseDir: dir });
        await adapter.start();
        const first = globalThis.V;
        writeFileSync(dir + '/late.cjs', 'module.exports = { version: 2 };');
        await adapter.reload(entry);
        console.log(JSON.stringify({ first, second: globalThis.V, otherKept: requireHere('./other.cjs') === other }));
        await adapter.stop();
      `;
      const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script]);
      expect(JSON.parse(stdout)).toEqual({ first: 1, second: 2, otherKept: true });
    } finally {
      await dir.cleanup();
    }
  });
});
