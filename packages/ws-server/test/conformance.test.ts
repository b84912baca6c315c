import { createWebSocketBotTarget, runAdapterConformance } from '@onebot-gateway/testkit';
import { createWsServerAdapter } from '../src/index.js';

// Actions over /api, events over /event.
runAdapterConformance({
  name: 'ws-server',
  kind: 'server',
  capabilities: { actions: true, events: true, auth: 'server', lifecycle: 'connect', heartbeat: true },
  async createTarget({ context, settings }) {
    const adapter = createWsServerAdapter({ ...settings, port: 0 }, context);
    await adapter.start();
    const bot = createWebSocketBotTarget(`ws://${adapter.status().address}`);
    return { ...bot, stop: () => adapter.stop() };
  },
});

// The same suite with one universal connection path for events.
runAdapterConformance({
  name: 'ws-server (universal path)',
  kind: 'server',
  capabilities: { actions: true, events: true, auth: 'server', lifecycle: 'connect', heartbeat: true },
  async createTarget({ context, settings }) {
    const adapter = createWsServerAdapter({ ...settings, port: 0 }, context);
    await adapter.start();
    const bot = createWebSocketBotTarget(`ws://${adapter.status().address}`, {
      api: '/',
      events: '/onebot/v11/ws',
    });
    return { ...bot, stop: () => adapter.stop() };
  },
});
