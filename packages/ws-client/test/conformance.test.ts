import { runAdapterConformance } from '@onebot-gateway/testkit';
import { createWsClientAdapter } from '../src/index.js';

runAdapterConformance({
  name: 'ws-client',
  kind: 'ws-client',
  capabilities: { actions: true, events: true, auth: 'client', lifecycle: 'connect', heartbeat: true },
  async createTarget({ context, settings, receiverUrl }) {
    const adapter = createWsClientAdapter(
      { name: 'ws-client', url: receiverUrl, reconnectInterval: 50, ...settings },
      context,
    );
    await adapter.start();
    return { stop: () => adapter.stop() };
  },
});
