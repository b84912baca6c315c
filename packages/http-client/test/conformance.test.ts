import { runAdapterConformance } from '@onebot-gateway/testkit';
import { createHttpClientAdapter } from '../src/index.js';

runAdapterConformance({
  name: 'http-client',
  kind: 'http-client',
  capabilities: {
    actions: false,
    events: true,
    auth: 'client',
    lifecycle: 'enable',
    heartbeat: true,
    signature: true,
  },
  async createTarget({ context, settings, receiverUrl }) {
    const adapter = createHttpClientAdapter({ name: 'http-client', url: receiverUrl, ...settings }, context);
    await adapter.start();
    return { stop: () => adapter.stop() };
  },
});
