import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPluginHarness, waitFor } from './helpers.js';

const harness = createPluginHarness();
afterEach(() => harness.cleanup());

type Seen = Record<string, unknown> & { order: string[]; cleanup: unknown[] };

describe('NapCat compatibility: current form, plugin_init(ctx)', () => {
  // Written the way current NapCat plugins (and its template) are: one ctx, actions.call with
  // the adapter name and config, WebUI routes and a config schema registered in plugin_init.
  const napCatPlugin = (key: string) => `
    const seen = (globalThis[${JSON.stringify(key)}] = { order: [], cleanup: [] });
    export let plugin_config_ui = [];
    export const plugin_init = async (ctx) => {
      seen.fields = { pluginName: ctx.pluginName, adapterName: ctx.adapterName, dataPath: ctx.dataPath, configPath: ctx.configPath, pluginPath: ctx.pluginPath };
      seen.hasHas = 'has' in ctx.actions;
      seen.uin = ctx.core.selfInfo.uin;
      plugin_config_ui = ctx.NapCatConfig.combine(ctx.NapCatConfig.text('prefix', 'Prefix', '#'), ctx.NapCatConfig.boolean('on', 'On', true));
      ctx.router.static('/static', 'webui');
      ctx.router.page({ path: 'dashboard', title: 'Dashboard', htmlFile: 'webui/index.html' });
      ctx.logger.info('init', 42, { a: 1 });
      ctx.logger.error('init problem:', new Error('shown as err'));
      seen.login = await ctx.actions.call('get_login_info', {}, ctx.adapterName, ctx.pluginManager.config);
      try {
        await ctx.actions.call('always_fails', {}, ctx.adapterName, ctx.pluginManager.config);
      } catch (error) {
        seen.failure = error.message;
      }
      seen.unknown = await ctx.actions.get('no_such_action')?.handle({}, ctx.adapterName, ctx.pluginManager.config);
    };
    export const plugin_onevent = async (ctx, event) => { seen.order.push('event:' + event.post_type); };
    export const plugin_onmessage = async (ctx, event) => {
      seen.order.push('message:' + event.raw_message);
      if (event.raw_message === 'ping') {
        seen.sent = await ctx.actions.call('send_msg', { message_type: 'group', group_id: String(event.group_id), message: 'pong' }, ctx.adapterName, ctx.pluginManager.config);
      }
    };
    export const plugin_cleanup = async (ctx) => { seen.cleanup.push(ctx.pluginName); };
  `;

  it('loads, gets a NapCat-style ctx, calls actions for their data, and sees events then messages', async () => {
    const t = await harness.setup((key) => ({ 'plugins/p/index.mjs': napCatPlugin(key) }));
    await t.adapter.start();
    const seen = t.log() as unknown as Seen;
    const dataDir = join(t.dir, '.data', 'plugins', 'p');
    expect(seen.fields).toEqual({
      pluginName: 'p',
      adapterName: 'p',
      dataPath: dataDir,
      configPath: join(dataDir, 'config.json'),
      pluginPath: expect.stringMatching(/plugins[/\\]p$/),
    });
    expect(seen.uin).toBe('10001');
    expect(seen.login).toEqual({ user_id: 10001, nickname: 'FakeBot' });
    expect(seen.failure).toMatch(/always_fails.*retcode 100.*always fails/);
    expect(seen.unknown).toMatchObject({ status: 'failed', retcode: 1404 });
    expect(seen.hasHas).toBe(false);

    const logs = t.backend.logger.records;
    expect(logs.find((r) => r.msg === 'init 42 { a: 1 }')).toMatchObject({ level: 'info' });
    expect(logs.find((r) => r.msg === 'init problem:')).toMatchObject({
      level: 'error',
      obj: { err: expect.objectContaining({ message: 'shown as err' }) },
    });
    expect(logs.filter((r) => /NapCat WebUI route or page/.test(r.msg))).toHaveLength(1);

    t.backend.emitMessage({
      message_type: 'group',
      group_id: 4242,
      message: [{ type: 'text', data: { text: 'ping' } }],
    });
    await waitFor(() => seen.sent !== undefined, 'the pong');
    expect(t.backend.calls.at(-1)).toMatchObject({
      action: 'send_msg',
      params: { group_id: 4242, message: 'pong' },
    });
    expect(seen.sent).toMatchObject({ message_id: expect.any(Number) });
    // Lifecycle (and heartbeats) are not NapCat plugin events: onevent saw only the message, then onmessage did.
    expect(seen.order).toEqual(['event:message', 'message:ping']);

    await t.adapter.stop();
    expect(seen.cleanup).toEqual(['p']);
  });

  it('hands notices to plugin_onevent only, and a plugin_init that throws fails the start', async () => {
    const t = await harness.setup((key) => ({ 'p.mjs': napCatPlugin(key) }), { module: './p.mjs' });
    await t.adapter.start();
    t.backend.emit({
      time: 1,
      self_id: 10001,
      post_type: 'notice',
      notice_type: 'group_recall',
      group_id: 1,
      user_id: 2,
      operator_id: 2,
      message_id: 3,
    });
    const seen = t.log() as unknown as Seen;
    await waitFor(() => seen.order.length === 1, 'the notice');
    expect(seen.order).toEqual(['event:notice']);

    const broken = await harness.setup(
      () => ({
        'p.mjs': 'export const plugin_init = async (ctx) => { throw new Error("no " + ctx.pluginName); };',
      }),
      { module: './p.mjs' },
    );
    await expect(broken.adapter.start()).rejects.toThrow(/plugin "p": setup threw: no p/);
  });

  it('follows the napcat_plugin_api export when parameter counts cannot tell', async () => {
    const t = await harness.setup(
      (key) => ({
        'p.mjs': `
          const seen = (globalThis[${JSON.stringify(key)}] = {});
          export const napcat_plugin_api = 'positional';
          export const plugin_init = (...args) => { seen.args = args.length; seen.uin = args[0].selfInfo.uin; };
        `,
      }),
      { module: './p.mjs' },
    );
    await t.adapter.start();
    expect(t.log()).toMatchObject({ args: 4, uin: '10001' });
  });
});

describe('NapCat compatibility: older positional form', () => {
  it('has no always-true actions.has; get(name) answers unknown actions with 1404', async () => {
    const t = await harness.setup(
      (key) => ({
        'p.mjs': `
          const seen = (globalThis[${JSON.stringify(key)}] = {});
          export const plugin_init = async (core, obContext, actions, instance) => {
            seen.hasHas = 'has' in actions;
            seen.unknown = await actions.get('no_such_action').handle({});
            seen.whole = await actions.call('get_login_info', {});
          };
        `,
      }),
      { module: './p.mjs' },
    );
    await t.adapter.start();
    expect(t.log()).toMatchObject({
      hasHas: false,
      unknown: { status: 'failed', retcode: 1404 },
      whole: { status: 'ok', retcode: 0, data: { user_id: 10001 } },
    });
  });
});
