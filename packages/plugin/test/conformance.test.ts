import { createAsyncQueue, runAdapterConformance } from '@onebot-gateway/testkit';
import { createPluginAdapter } from '../src/index.js';
import { makeConfigDir } from './helpers.js';

// The plugin adapter has no transport: its "bot" is the plugin module itself,
// which hands every event it gets to a queue the suite reads. Actions are
// called through ctx.call, which has no wire request (no echo, no raw body),
// so the action part of the suite does not apply; plugin-adapter.test.ts
// covers ctx.call / ctx.callRaw against the router instead. Like http-client,
// the plugin gets a lifecycle enable first and heartbeats every heartInterval.
let streamCounter = 0;

runAdapterConformance({
  name: 'plugin',
  kind: 'in-process',
  capabilities: { actions: false, events: true, auth: 'none', lifecycle: 'enable', heartbeat: true },
  async createTarget({ context, settings }) {
    const key = `__plugin_conformance_${++streamCounter}`;
    const queue = createAsyncQueue<Record<string, unknown>>();
    (globalThis as Record<string, unknown>)[key] = (event: Record<string, unknown>) => queue.push(event);
    const dir = await makeConfigDir({
      'plugins/recorder/index.mjs': `export default { setup(ctx) { ctx.on('*', (event) => globalThis[${JSON.stringify(key)}](event)); } };`,
    });
    const adapter = createPluginAdapter(
      {
        name: 'recorder',
        enable: true,
        messagePostFormat: settings.messagePostFormat,
        reportSelfMessage: settings.reportSelfMessage,
        heartInterval: settings.heartInterval,
        filter: settings.filter,
      },
      context,
      { baseDir: dir.dir },
    );
    await adapter.start();
    return {
      openEvents: async () => ({
        next: (ms = 3000) => queue.next(ms, 'event delivered to the plugin'),
        close: async () => {},
      }),
      async stop() {
        await adapter.stop();
        queue.end('stopped');
        delete (globalThis as Record<string, unknown>)[key];
        await dir.cleanup();
      },
    };
  },
});
