import type { Socket } from 'node:net';
import { closedByPeer, connectSilently } from '@onebot-gateway/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WsServerAdapter } from '../src/index.js';
import { createHarness, waitFor, type Harness } from './helpers.js';

async function silentSocket(adapter: WsServerAdapter, sockets: Socket[]): Promise<Socket> {
  const socket = await connectSilently(Number(adapter.status().address?.split(':').pop()));
  sockets.push(socket);
  return socket;
}

const ended = closedByPeer;

describe('ws-server connection cap and handshake timeout', () => {
  let h: Harness;
  const sockets: Socket[] = [];
  beforeEach(() => {
    h = createHarness();
  });
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await h.teardown();
  });

  it('refuses past maxConnections (WebSocket clients count), warns once, and takes a raised cap in place', async () => {
    const adapter = await h.start({ name: 'ws-capped', maxConnections: 2 });
    const client = await h.connect(adapter, '/');
    await client.next();
    await silentSocket(adapter, sockets);
    const refused = [await silentSocket(adapter, sockets), await silentSocket(adapter, sockets)];
    await Promise.all(refused.map(ended));
    const warnings = h.backend.logger.records.filter(
      (r) => r.level === 'warn' && /refused a connection/.test(r.msg),
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.msg).toContain('websocket server "ws-capped"');

    const address = adapter.status().address;
    await adapter.reload({ ...adapter.config, maxConnections: 3 });
    expect(adapter.status().address).toBe(address);
    const admitted = await silentSocket(adapter, sockets);
    // The open WebSocket survived the reload and still gets events.
    h.backend.emitMessage({ message_id: 5 });
    expect((await client.next()).message_id).toBe(5);
    expect(admitted.readableEnded || admitted.destroyed).toBe(false);
  });

  it('closes a connection that never sends its handshake after requestTimeout', async () => {
    const adapter = await h.start({ name: 'ws-quick', requestTimeout: 300 });
    const started = Date.now();
    const silent = await silentSocket(adapter, sockets);
    await waitFor(
      () => silent.readableEnded || silent.destroyed,
      'the server to close the silent socket',
      2000,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    const client = await h.connect(adapter, '/');
    expect((await client.next()).meta_event_type).toBe('lifecycle');
  });
});
