import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeBackend } from '@onebot-gateway/testkit';
import { createPluginAdapter } from '../src/index.js';
import { link, makeConfigDir, recorderPlugin, waitFor } from './helpers.js';

type Log = { events: Array<Record<string, unknown>>; disposed: number; setups: number; dataDir?: string; options?: unknown };
const logs = globalThis as unknown as Record<string, Log | undefined>;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

let keyCounter = 0;
async function setup(files: (key: string) => Record<string, string>, entry: Record<string, unknown> = {}) {
  const key = `__plugin_test_${++keyCounter}`;
  const dir = await makeConfigDir(files(key));
  const backend = createFakeBackend();
  const adapter = createPluginAdapter({ name: 'p', enable: true, ...entry }, backend.context('p'), { baseDir: dir.dir });
  cleanups.push(async () => {
    await adapter.stop();
    backend.dispose();
    await dir.cleanup();
    delete logs[key];
  });
  return { key, dir: dir.dir, backend, adapter, log: () => logs[key] };
}

describe('loading', () => {
  it('loads an ESM module by relative path and delivers events', async () => {
    const t = await setup((key) => ({ 'my-plugin.mjs': recorderPlugin(key) }), { module: './my-plugin.mjs', options: { a: 1 } });
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
    const t = await setup((key) => ({ 'plugin.cjs': recorderPlugin(key, 'cjs') }), { module: './plugin.cjs' });
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
        'node_modules/onebot-plugin-demo/package.json': JSON.stringify({ name: 'onebot-plugin-demo', main: 'index.cjs' }),
        'node_modules/onebot-plugin-demo/index.cjs': recorderPlugin(key, 'cjs'),
      }),
      { module: 'onebot-plugin-demo' },
    );
    await t.adapter.start();
    expect(t.log()!.setups).toBe(1);
  });

  it('refuses paths that escape through .. or links, with a clear error', async () => {
    const outside = await makeConfigDir({ 'evil.mjs': 'export default { setup() {} };' });
    cleanups.push(outside.cleanup);

    const dotdot = await setup(() => ({}), { module: `../${outside.dir.split('/').pop()}/evil.mjs` });
    await expect(dotdot.adapter.start()).rejects.toThrow(/outside/);
    expect(dotdot.adapter.status()).toMatchObject({ state: 'failed', lastError: expect.stringMatching(/outside/) });

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
    const asString = await setup((key) => ({ 'p.mjs': recorderPlugin(key) }), { module: './p.mjs', messagePostFormat: 'string' });
    const withSelf = await setup((key) => ({ 'p.mjs': recorderPlugin(key) }), { module: './p.mjs', reportSelfMessage: true });
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
    t.backend.context('other').subscribe({ format: 'array', reportSelfMessage: false }, (d) => seenByOthers.push(d.json));
    t.backend.emitMessage();
    expect(t.log()!.events[0]!.message).toBe('mutated');
    expect(seenByOthers[0]).toContain('"hello"');
    expect(seenByOthers[0]).not.toContain('mutated');
  });
});

describe('isolation', () => {
  it('a plugin whose setup throws fails alone; the others keep running', async () => {
    const broken = await setup(() => ({ 'p.mjs': 'export default { setup() { throw new Error("boom in setup"); } };' }), { module: './p.mjs' });
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
    await waitFor(() => t.backend.logger.records.filter((r) => r.level === 'error').length === 4, 'four handler errors logged');
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
    const out = t.log() as unknown as { login: unknown; failure: { name: string; retcode: number; message: string } };
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
    const t = await setup(() => ({ 'p.mjs': 'export default { setup(ctx) { globalThis.__reloadVersion = 1; } };' }), { module: './p.mjs' });
    await t.adapter.start();
    expect((globalThis as Record<string, unknown>).__reloadVersion).toBe(1);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(t.dir, 'p.mjs'), 'export default { setup(ctx) { globalThis.__reloadVersion = 2; } };');
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
    t.backend.emitMessage({ message_type: 'group', group_id: 4242, message: [{ type: 'text', data: { text: 'ping' } }] });
    await waitFor(() => t.backend.calls.length > 0, 'NapCat-style reply');
    expect(t.backend.calls[0]).toMatchObject({ action: 'send_group_msg', params: { group_id: 4242, message: 'pong' } });
    const seen = t.log() as unknown as { init: number; uin: string; ret: unknown; events: string[]; cleanup: number };
    await waitFor(() => seen.ret !== undefined, 'the action response');
    expect(seen).toMatchObject({ init: 1, uin: '10001', events: ['message'] });
    expect(seen.ret).toMatchObject({ status: 'ok', retcode: 0 });
    await t.adapter.stop();
    expect(seen.cleanup).toBe(1);
  });
});
