import type { Socket } from 'node:net';
import { closedByPeer, connectSilently } from '@onebot-gateway/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { call, startServer, stopAll, waitFor } from './helpers.js';

const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await stopAll();
});

async function silentSocket(port: number): Promise<Socket> {
  const socket = await connectSilently(port);
  sockets.push(socket);
  return socket;
}

const closedBy = closedByPeer;

describe('http-server connection cap and request timeout', () => {
  it('refuses connections past maxConnections with one warning per window', async () => {
    const server = await startServer({ name: 'capped', maxConnections: 3 });
    const held = [];
    for (let i = 0; i < 3; i += 1) held.push(await silentSocket(server.port));
    const refused = [await silentSocket(server.port), await silentSocket(server.port)];
    await Promise.all(refused.map((socket) => closedBy(socket)));
    expect(held.every((socket) => !socket.destroyed)).toBe(true);

    const warnings = server.backend.logger.records.filter(
      (record) => record.level === 'warn' && /refused a connection/.test(record.msg),
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.msg).toContain('http-server "capped"');
    expect(warnings[0]!.msg).toContain('maxConnections');

    // Freeing a slot lets a normal client in again.
    held[0]!.destroy();
    await waitFor(() => server.adapter.status().connections === 2);
    expect((await call(`${server.url}/get_login_info`)).status).toBe(200);
  });

  it('closes a socket that sends nothing once requestTimeout has passed, and keeps serving', async () => {
    const server = await startServer({ name: 'quick', requestTimeout: 300 });
    const started = Date.now();
    await silentSocket(server.port);
    await waitFor(() => server.adapter.status().connections === 1);
    // The server itself lets go of the descriptor, though the peer never closes its side.
    await waitFor(() => server.adapter.status().connections === 0, 2000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect((await call(`${server.url}/get_login_info`)).status).toBe(200);
  });

  it('applies a reloaded maxConnections in place, without a rebind', async () => {
    const server = await startServer({ name: 'grows', maxConnections: 1 });
    const first = await silentSocket(server.port);
    const second = await silentSocket(server.port);
    await closedBy(second);

    await server.adapter.reload({ ...server.adapter.currentConfig(), maxConnections: 3 });
    const third = await silentSocket(server.port);
    const fourth = await silentSocket(server.port);
    // The first connection survived the reload: the socket was not rebound.
    expect(first.destroyed).toBe(false);
    expect(server.adapter.status().connections).toBe(3);
    expect(third.destroyed || fourth.destroyed).toBe(false);
  });
});
