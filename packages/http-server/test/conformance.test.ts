import { callOverHttp, createWebSocketBotTarget, runAdapterConformance } from '@onebot-gateway/testkit';
import { createHttpServerAdapter } from '../src/index.js';

// The HTTP API: POST / with the raw body.
runAdapterConformance({
  name: 'http-server',
  kind: 'server',
  capabilities: { actions: true, events: false, auth: 'server', heartbeat: false },
  async createTarget({ context, settings }) {
    const adapter = createHttpServerAdapter({ ...settings, port: 0 }, context);
    await adapter.start();
    const baseUrl = `http://${adapter.status().address}`;
    return { callAction: (body, auth) => callOverHttp(baseUrl, body, auth), stop: () => adapter.stop() };
  },
});

// enableWebsocket: the ws-server behaviour on the HTTP port.
runAdapterConformance({
  name: 'http-server (enableWebsocket)',
  kind: 'server',
  capabilities: { actions: true, events: true, auth: 'server', lifecycle: 'connect', heartbeat: true },
  async createTarget({ context, settings }) {
    const adapter = createHttpServerAdapter({ ...settings, port: 0, enableWebsocket: true }, context);
    await adapter.start();
    const bot = createWebSocketBotTarget(`ws://${adapter.status().address}`);
    return { ...bot, stop: () => adapter.stop() };
  },
});
