import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { retainedBytesAfterGc } from '@onebot-gateway/testkit';
import { rawRequest } from './raw-request.js';
import { startServer, stopAll } from './helpers.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await stopAll();
});

/** A client that announces a body of `length` bytes and sends `sent` of them, then stalls. */
async function stallingUpload(port: number, length: number, sent: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  await once(socket, 'connect');
  socket.write(
    `POST /send_private_msg HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\ncontent-length: ${length}\r\n\r\n`,
  );
  socket.write(Buffer.alloc(sent, 0x20));
  return socket;
}

function jsonBody(size: number): string {
  const envelope = JSON.stringify({ user_id: 1, message: '' });
  return JSON.stringify({ user_id: 1, message: 'x'.repeat(size - envelope.length) });
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('large bodies read at once share a budget of 4 x maxBodySize', () => {
  it('refuses a large body with 429 while four others are being read, always lets small ones through, and frees the budget when they end', async () => {
    const { url, port, backend } = await startServer({ maxBodySize: 256 * KiB, requestTimeout: 60_000 });
    const stalled = [];
    for (let i = 0; i < 4; i++) stalled.push(await stallingUpload(port, 256 * KiB, 100 * KiB));

    const large = await rawRequest(`${url}/send_private_msg`, {
      headers: { 'content-type': 'application/json' },
      body: jsonBody(200 * KiB),
    });
    expect(large.status).toBe(429);
    expect(large.headers['retry-after']).toBe('1');
    expect(JSON.parse(large.text)).toMatchObject({
      retcode: 1429,
      message: expect.stringMatching(
        /already reading 1048576 bytes of other large requests \(limit 1048576\)/,
      ),
    });

    const chunked = await rawRequest(`${url}/send_private_msg`, {
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body: jsonBody(200 * KiB),
    });
    expect(chunked.status).toBe(429);

    const small = await rawRequest(`${url}/send_private_msg`, {
      headers: { 'content-type': 'application/json' },
      body: jsonBody(8 * KiB),
    });
    expect(small.status).toBe(200);

    for (const socket of stalled) socket.destroy();
    await until(async () => {
      const retry = await rawRequest(`${url}/send_private_msg`, {
        headers: { 'content-type': 'application/json' },
        body: jsonBody(200 * KiB),
      });
      return retry.status === 200;
    }, 'the budget to be released');
    expect(backend.calls.filter((call) => call.action === 'send_private_msg').length).toBeGreaterThanOrEqual(
      2,
    );
  });

  it('keeps memory bounded when many clients stall in the middle of large uploads', async () => {
    const { port, url } = await startServer({ maxBodySize: 4 * MiB, requestTimeout: 60_000 });
    const before = retainedBytesAfterGc();
    // 24 x 3.5 MiB = 84 MiB held if every body were read; the budget allows 16 MiB.
    for (let i = 0; i < 24; i++) await stallingUpload(port, 4 * MiB, 3.5 * MiB);
    await until(async () => {
      const probe = await rawRequest(`${url}/get_login_info`, { method: 'GET' });
      return probe.status === 200;
    }, 'the server to answer');
    expect(retainedBytesAfterGc() - before).toBeLessThan(40 * MiB);
  });
});
