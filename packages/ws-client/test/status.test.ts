import { describe, expect, it } from 'vitest';
import { waitUntil } from './helpers/bot-server.js';
import { useTestScope } from './helpers/test-scope.js';

const { botServer, silentServer, backend, adapterFor } = useTestScope();

describe('ws-client: status', () => {
  it('lists the server as its peer while connected (token redacted) and says when it retries while not', async () => {
    const server = await botServer();
    const b = backend();
    const before = Date.now();
    const adapter = adapterFor(b, {
      url: `${server.url}?access_token=peer-secret`,
      token: 'peer-secret',
      reconnectInterval: 5_000,
    });
    await adapter.start();
    const connected = adapter.status();
    expect(connected.peers).toEqual([
      {
        remote: expect.stringContaining('access_token=[redacted]'),
        role: 'universal',
        since: expect.any(String),
      },
    ]);
    expect(Date.parse(connected.peers![0]!.since)).toBeGreaterThanOrEqual(before - 1000);
    expect(connected.nextRetryAt).toBeUndefined();
    expect(JSON.stringify(connected)).not.toContain('peer-secret');

    server.connections[0]!.ws.close(1000, 'bye');
    await waitUntil(() => adapter.status().connections === 0, 'the disconnect');
    const waiting = adapter.status();
    expect(waiting.peers).toBeUndefined();
    const due = Date.parse(waiting.nextRetryAt as string);
    expect(due).toBeGreaterThan(Date.now() + 3_000);
    expect(due).toBeLessThanOrEqual(Date.now() + 5_000 + 500 + 50);

    await adapter.stop();
    expect(adapter.status()).toMatchObject({ state: 'stopped', connections: 0 });
    expect(adapter.status().nextRetryAt).toBeUndefined();
  });

  it('stop() during the first attempt does not wait for the handshake to time out', async () => {
    // Accepts TCP and never upgrades: the first attempt would last handshakeTimeout.
    const { url: silent, sockets } = await silentServer();
    const b = backend();
    const adapter = adapterFor(b, {
      url: silent,
      handshakeTimeout: 10_000,
    });
    const started = adapter.start();
    await waitUntil(() => sockets.size === 1, 'the TCP connection');
    const stopAt = Date.now();
    await Promise.all([started, adapter.stop()]);
    expect(Date.now() - stopAt).toBeLessThan(2_000);
    expect(adapter.status().state).toBe('stopped');
  });
});
