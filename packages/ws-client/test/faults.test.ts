import { createServer as createHttpServer } from 'node:http';
import type { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { FakeBackend } from '@onebot-gateway/testkit';
import type { Adapter, WebsocketClientConfig } from '@onebot-gateway/core';
import type { WsClientOptions } from '../src/index.js';
import { waitUntil, type BotServer } from './helpers/bot-server.js';
import { useTestScope } from './helpers/test-scope.js';

const { cleanups, botServer, silentServer, backend, adapterFor } = useTestScope();

async function started(
  b: FakeBackend,
  config: Partial<WsClientOptions>,
): Promise<Adapter<WebsocketClientConfig>> {
  const adapter = adapterFor(b, config);
  await adapter.start();
  return adapter;
}

/** Write raw bytes on the server side of a connection: frames `ws` itself would never produce. */
function writeRaw(server: BotServer, index: number, bytes: number[]): void {
  (server.connections[index]!.ws as unknown as { _socket: Socket })._socket.write(Buffer.from(bytes));
}

const warnings = (b: FakeBackend): string[] =>
  b.logger.records.filter((r) => r.level === 'warn').map((r) => r.msg);

describe('ws-client: a misbehaving bot server', () => {
  it('answers malformed and binary frames with 1400 (no echo) and unknown actions with 1404, staying connected', async () => {
    const server = await botServer();
    const b = backend();
    const adapter = await started(b, { url: server.url });
    const connection = server.connections[0]!;
    const notJson = await connection.request('{"action": "get_login_info", "echo": 1');
    expect(notJson).toMatchObject({ status: 'failed', retcode: 1400 });
    expect(notJson).not.toHaveProperty('echo');
    expect(await connection.request('[1,2]')).toMatchObject({ retcode: 1400 });
    connection.ws.send(Buffer.from('{"action":"get_login_info"}'), { binary: true });
    await waitUntil(
      () => connection.frames.filter((f) => f.retcode === 1400).length === 3,
      'the binary frame answer',
    );
    expect(await connection.request({ action: 'no_such_action', echo: 'u' }, 'u')).toMatchObject({
      retcode: 1404,
      echo: 'u',
    });
    expect(await connection.request({ action: 'get_login_info', echo: 2 }, 2)).toMatchObject({ retcode: 0 });
    expect(adapter.status()).toMatchObject({ connections: 1, connects: 1 });
  });

  it.each([
    ['a text frame that is not UTF-8', [0x81, 0x02, 0xff, 0xfe], /invalid UTF-8/i],
    ['a frame with a reserved opcode', [0x83, 0x00], /invalid opcode/i],
    ['an unmasked-length lie (RSV bits set)', [0xf1, 0x00], /RSV/i],
  ])('survives %s: logs it, reconnects, keeps delivering', async (_label, bytes, pattern) => {
    const server = await botServer();
    const b = backend();
    const adapter = await started(b, { url: server.url });
    writeRaw(server, 0, bytes);
    await waitUntil(
      () => server.connections.length === 2 && adapter.status().connections === 1,
      'the reconnect',
    );
    expect(warnings(b).some((m) => pattern.test(m))).toBe(true);
    b.emitMessage({ message_id: 9 });
    await waitUntil(
      () => server.connections[1]!.frames.some((f) => f.message_id === 9),
      'the event on the new connection',
    );
  });

  it('a frame larger than maxPayload closes the connection (1009) and the adapter reconnects', async () => {
    const server = await botServer();
    const b = backend();
    const adapter = await started(b, { url: server.url, maxPayload: 1024 });
    server.connections[0]!.ws.send(
      JSON.stringify({ action: 'echo_params', params: { big: 'x'.repeat(4096) } }),
    );
    await waitUntil(
      () => server.connections.length === 2 && adapter.status().connections === 1,
      'the reconnect',
    );
    expect(server.connections[0]?.closeCode).toBe(1009);
    expect(warnings(b).some((m) => /max payload size exceeded/i.test(m))).toBe(true);
    expect(b.calls).toEqual([]);
  });

  it('serves a big (2 MiB) request under the default maxPayload', async () => {
    const server = await botServer();
    const b = backend();
    await started(b, { url: server.url });
    const answer = await server.connections[0]!.request(
      { action: 'echo_params', params: { big: 'y'.repeat(2 * 1024 * 1024) }, echo: 'big' },
      'big',
    );
    expect((answer.data as { big: string }).big).toHaveLength(2 * 1024 * 1024);
  });

  it('a server that accepts TCP but never upgrades is given up on after handshakeTimeout', async () => {
    const { url: silent, sockets } = await silentServer();
    const b = backend();
    const adapter = await started(b, {
      url: silent,
      handshakeTimeout: 100,
    });
    expect(adapter.status().connections).toBe(0);
    expect(warnings(b).some((m) => /handshake has timed out/i.test(m))).toBe(true);
    await waitUntil(() => sockets.size >= 2, 'the retry');
  });

  it('a plain HTTP server (no upgrade) is reported and retried', async () => {
    const http = createHttpServer((_req, res) => res.end('hello'));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    cleanups.push(async () => {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    });
    const b = backend();
    const adapter = await started(b, { url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}/` });
    expect(warnings(b)[0]).toMatch(/the server answered HTTP 200 instead of upgrading/);
    await waitUntil(() => (adapter.status().connectionAttempts as number) >= 3, 'retries');
  });

  it('a long outage keeps memory bounded: bufferSize events at most, drops counted, log lines bounded', async () => {
    const server = await botServer();
    await server.close();
    const b = backend();
    const adapter = await started(b, { url: server.url, bufferSize: 1000, reconnectInterval: 50 });
    for (let i = 0; i < 20_000; i += 1) b.emitMessage({ message_id: i });
    expect(adapter.status()).toMatchObject({
      buffered: 1000,
      dropped: 19_000,
      droppedByReason: { buffer_full: 19_000 },
    });
    expect(warnings(b).filter((m) => m.includes('buffer_full')).length).toBeLessThanOrEqual(10);
  });

  it('a server that accepts and then closes with 1008 is logged once as a refusal with a token hint, repeats at debug', async () => {
    const token = 'refused-token-value';
    let refuse = true;
    const server = await botServer({
      onConnection(connection) {
        if (refuse) connection.ws.close(1008, 'invalid token');
      },
    });
    const b = backend();
    const adapter = await started(b, { url: server.url, token });
    await waitUntil(() => server.connections.length >= 5, 'five refused connections');
    const at = (level: string, pattern: RegExp): string[] =>
      b.logger.records.filter((r) => r.level === level && pattern.test(r.msg)).map((r) => r.msg);
    await waitUntil(() => at('debug', /refused again/).length >= 4, 'the repeats to be logged');

    expect(at('warn', /1008/)).toHaveLength(1);
    expect(at('warn', /1008/)[0]).toMatch(
      /closed it with 1008 \(policy violation: invalid token\).*check "token"/,
    );
    expect(at('warn', /disconnected/)).toHaveLength(0);
    // Only the first connection could not yet be known as refused.
    expect(at('info', /^connected to/)).toHaveLength(1);

    // Accepted again: the first frame from the server says so at info, and a later refusal warns again.
    refuse = false;
    const accepted = server.connections.length;
    await waitUntil(() => server.connections.length > accepted, 'an accepted connection');
    const connection = server.connections.at(-1)!;
    expect(await connection.request({ action: 'get_login_info', echo: 1 }, 1)).toMatchObject({ retcode: 0 });
    expect(at('info', /accepts this client after \d+ refusals/)).toHaveLength(1);
    refuse = true;
    const before = server.connections.length;
    connection.ws.close(1008, 'token revoked');
    await waitUntil(() => server.connections.length > before, 'the next connection');
    await waitUntil(() => at('warn', /1008/).length === 2, 'a new refusal warning');
    expect(adapter.status().lastError).toMatch(/1008/);
    expect(b.logger.text()).not.toContain(token);
  });
});
