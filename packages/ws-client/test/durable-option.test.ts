import { describe, expect, it } from 'vitest';
import { createActionRouter, createAdapterContext, createEventBus } from '@onebot-gateway/core';
import { createWsClientAdapter } from '../src/index.js';

describe('durable: true', () => {
  it('refuses to start, saying why, where the backend keeps no log of events', async () => {
    const context = createAdapterContext(
      { router: createActionRouter(), bus: createEventBus(), selfId: () => 10000 },
      'durable-ws',
    );
    const adapter = createWsClientAdapter(
      { name: 'durable-ws', enable: true, url: 'ws://127.0.0.1:9/', durable: true },
      context,
    );
    await expect(adapter.start()).rejects.toThrow(
      /^durable-ws: "durable": true needs an edge gateway \(gateway\.backend\.type "nats"\)/,
    );
    expect(adapter.status()).toMatchObject({ state: 'failed' });
    await adapter.stop();
  });
});
