import { expect, it } from 'vitest';
import { deepArray, type BadInputFixture } from './http-bad-input-fixture.js';
import { retainedBytesAfterGc } from './memory.js';
import type { RawHttpResponse } from './raw-http.js';

function json(response: RawHttpResponse): Record<string, unknown> {
  return JSON.parse(response.body.toString('utf8')) as Record<string, unknown>;
}

/**
 * Poll until `read()` has not changed for `quietMs`. For "the server stopped
 * taking requests", which has no event to await; bounded by `timeoutMs`.
 */
async function settled(read: () => number, quietMs = 300, timeoutMs = 10_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = read();
  let since = Date.now();
  while (Date.now() - since < quietMs) {
    if (Date.now() > deadline) throw new Error(`value still changing after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
    const now = read();
    if (now !== last) {
      last = now;
      since = Date.now();
    }
  }
  return last;
}

/**
 * Many requests at once: pipelined on one keep-alive connection (answered
 * once each, in order; a body that cannot be parsed closes the connection),
 * from a client that never reads, and oversized bodies in bulk: memory stays
 * bounded throughout.
 */
export function floodCases({ start, pipelined, stillServes, postJson }: BadInputFixture): void {
  it('answers a flood of pipelined requests (good, wrong types, unknown, 1400 deep) on one keep-alive connection exactly once each, in order', async () => {
    const { url } = await start();
    const connection = await pipelined(url);
    const count = 2000;
    const requests: string[] = [];
    const post = (path: string, body: string) =>
      `POST ${path} HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    for (let i = 0; i < count; i += 1) {
      switch (i % 5) {
        case 0:
          requests.push(`GET /echo_params?i=${i} HTTP/1.1\r\nHost: test\r\n\r\n`);
          break;
        case 1:
          // Refused by the router (wrong type), not by the body parser: see the next test for those.
          requests.push(post('/send_private_msg', JSON.stringify({ user_id: `x${i}`, message: 'hi' })));
          break;
        case 2:
          requests.push(`GET /no_such_action_${i} HTTP/1.1\r\nHost: test\r\n\r\n`);
          break;
        case 3:
          requests.push(post('/', `{"action":"echo_params","params":{"x":${deepArray(1400)}},"echo":${i}}`));
          break;
        default:
          requests.push(post('/', JSON.stringify({ action: 'echo_params', params: { i }, echo: i })));
      }
    }
    connection.socket.write(requests.join(''));
    for (let i = 0; i < count; i += 1) {
      const response = await connection.next();
      const body = json(response);
      switch (i % 5) {
        case 0:
          expect([response.status, body.data], `request ${i}`).toEqual([200, { i: String(i) }]);
          break;
        case 1:
          expect([response.status, body.retcode, String(body.message)], `request ${i}`).toEqual([
            400,
            1400,
            expect.stringMatching(/user_id/),
          ]);
          break;
        case 2:
          expect([response.status, body.retcode, String(body.message)], `request ${i}`).toEqual([
            404,
            1404,
            expect.stringContaining(`no_such_action_${i}`),
          ]);
          break;
        case 3:
          expect([response.status, body.retcode, body.echo], `request ${i}`).toEqual([400, 1400, i]);
          break;
        default:
          expect([response.status, body.data, body.echo], `request ${i}`).toEqual([200, { i }, i]);
      }
    }
    // Nothing more than one answer each, and the connection is still usable.
    expect(connection.leftover()).toBe(0);
    connection.socket.write(`GET /get_login_info HTTP/1.1\r\nHost: test\r\n\r\n`);
    expect(json(await connection.next())).toMatchObject({ status: 'ok', data: { user_id: 10001 } });
  });

  it('answers a body it cannot parse in a pipeline, then closes the connection (Connection: close), nothing half-answered', async () => {
    const { url } = await start({ maxBodySize: 1024 });
    const get = (i: number) => `GET /echo_params?i=${i} HTTP/1.1\r\nHost: test\r\n\r\n`;
    const post = (body: string | Buffer, type = 'application/json') =>
      Buffer.concat([
        Buffer.from(
          `POST /echo_params HTTP/1.1\r\nHost: test\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
        ),
        Buffer.from(body),
      ]);
    const unparsable: Array<[string, Buffer, number]> = [
      ['malformed JSON', post('{bad'), 400],
      ['invalid UTF-8', post(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d])), 400],
      ['too large', post(JSON.stringify({ pad: 'x'.repeat(2000) })), 413],
      ['unsupported content type', post('{}', 'text/plain'), 406],
    ];
    for (const [label, bad, status] of unparsable) {
      const connection = await pipelined(url);
      // The body parser cannot know where a refused body ends, so fastify closes the
      // connection after the answer: requests after it are never half-answered.
      connection.socket.write(
        Buffer.concat([Buffer.from(get(1) + get(2)), bad, Buffer.from(get(3) + get(4))]),
      );
      expect(json(await connection.next()).data, label).toEqual({ i: '1' });
      expect(json(await connection.next()).data, label).toEqual({ i: '2' });
      const refused = await connection.next();
      expect([refused.status, refused.headers.connection], label).toEqual([status, 'close']);
      expect(json(refused), label).toMatchObject({ status: 'failed', data: null });
      await connection.closed;
      expect(connection.leftover(), label).toBe(0);
      await expect(connection.next(), label).rejects.toThrow(/closed/);
    }
    await stillServes(url);
  });

  it('keeps memory bounded for a client that pipelines requests and never reads, then answers them all in order', async () => {
    const { url, backend } = await start();
    const connection = await pipelined(url);
    const count = 500;
    // 64 KiB answers: 32 MiB in all, far more than loopback's kernel buffers hold.
    const body = Buffer.from(JSON.stringify({ pad: 'q'.repeat(64 * 1024) }));
    const before = retainedBytesAfterGc();
    for (let i = 0; i < count; i += 1) {
      connection.socket.write(
        `POST /echo_params?i=${i} HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      );
      // The same Buffer each time: the client's own queue costs nothing, so memory measures the server.
      connection.socket.write(body);
    }
    const handled = await settled(() => backend.calls.length);
    // The server stopped reading once its answers backed up ...
    expect(handled).toBeLessThan(count);
    // ... and holds little: without that, it would keep up to 32 MiB of answers. (The fake
    // backend's own record of each call's params is dropped first: it is the test's memory.)
    backend.calls.splice(0);
    const retained = retainedBytesAfterGc() - before;
    // Measured: under 50 KB. 1 MiB would still fail with 16 answers of 64 KiB held.
    expect(retained, `retained ${retained} bytes`).toBeLessThan(1024 * 1024);
    for (let i = 0; i < count; i += 1) {
      const response = await connection.next(10_000);
      expect(response.status, `request ${i}`).toBe(200);
      expect((json(response).data as { i: string }).i).toBe(String(i));
    }
    expect(connection.leftover()).toBe(0);
    expect(handled + backend.calls.length).toBe(count);
  });

  it('keeps memory bounded under a flood of oversized bodies (content-length and chunked) and malformed ones', async () => {
    const { url } = await start({ maxBodySize: 64 * 1024 });
    const big = JSON.stringify({ pad: 'z'.repeat(200 * 1024) });
    const before = retainedBytesAfterGc();
    for (let round = 0; round < 10; round += 1) {
      const replies = await Promise.all(
        Array.from({ length: 21 }, (_, i) =>
          i % 3 === 0
            ? postJson(`${url}/echo_params`, big)
            : i % 3 === 1
              ? postJson(`${url}/echo_params`, big, { 'transfer-encoding': 'chunked' })
              : postJson(`${url}/echo_params`, '{bad'),
        ),
      );
      expect(replies.map((reply) => reply.status)).toEqual(
        Array.from({ length: 21 }, (_, i) => (i % 3 === 2 ? 400 : 413)),
      );
    }
    // 140 bodies of 200 KiB would be 28 MiB if any were retained.
    expect(retainedBytesAfterGc() - before).toBeLessThan(4 * 1024 * 1024);
    await stillServes(url);
  });
}
