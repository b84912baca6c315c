import { request as httpRequest } from 'node:http';
import { connect as connectTcp, type Socket } from 'node:net';
import { retainedBytesAfterGc } from './memory.js';
import { afterEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import type { FakeBackend } from './fake-backend.js';
import { closeSocket, connectBotSocket, type BotSocket } from './conformance/ws-bot.js';

/** One adapter under test, listening on a free port with a fake backend. */
export interface HttpBadInputServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  backend: FakeBackend;
  stop(): Promise<void>;
}

export interface HttpBadInputOptions {
  /** Shown in the describe block: "http-server", "sse-server". */
  name: string;
  /** Start the adapter with these entry keys over its defaults (`port: 0` is the caller's job). */
  start(entry: Record<string, unknown>): Promise<HttpBadInputServer>;
}

export interface RawHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * A request with exactly these bytes and headers, where fetch would fix up
 * what a hostile client would not. A `transfer-encoding: chunked` header
 * sends the body chunked, without a content-length.
 */
export function sendRawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {},
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: options.method ?? 'POST', headers: options.headers ?? {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * One keep-alive TCP connection with a pipelined HTTP/1.1 response reader:
 * responses come out exactly as the server framed them, in order, so a test
 * can tell one answer per request from a missing or doubled one.
 */
export interface PipelinedConnection {
  socket: Socket;
  /** Start reading (the connection starts paused) and take the next response; rejects after `timeoutMs` or when the server closes first. */
  next(timeoutMs?: number): Promise<RawHttpResponse>;
  /** Bytes received that are not (yet) a whole response. */
  leftover(): number;
  closed: Promise<void>;
}

export async function openPipelinedConnection(url: string): Promise<PipelinedConnection> {
  const { hostname, port } = new URL(url);
  const socket = connectTcp(Number(port), hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  // Paused until the test reads: a client that never reads is just one that never calls next().
  socket.pause();
  const ready: RawHttpResponse[] = [];
  const waiters: Array<{ resolve: (response: RawHttpResponse) => void; reject: (error: Error) => void }> = [];
  let buffered: Buffer = Buffer.alloc(0);
  let ended = false;
  let failure: Error | undefined;

  function parse(): void {
    for (;;) {
      const headEnd = buffered.indexOf('\r\n\r\n');
      if (headEnd === -1) return;
      const lines = buffered.subarray(0, headEnd).toString('latin1').split('\r\n');
      const status = /^HTTP\/1\.1 (\d{3}) /.exec(lines[0] ?? '');
      const headers: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const length = Number(headers['content-length']);
      if (!status || !Number.isInteger(length)) {
        failure = new Error(`unparsable or unframed response: ${lines.join(' | ')}`);
        socket.destroy();
        return;
      }
      if (buffered.length < headEnd + 4 + length) return;
      const response = {
        status: Number(status[1]),
        headers,
        body: Buffer.from(buffered.subarray(headEnd + 4, headEnd + 4 + length)),
      };
      buffered = buffered.subarray(headEnd + 4 + length);
      const waiter = waiters.shift();
      if (waiter) waiter.resolve(response);
      else ready.push(response);
    }
  }

  socket.on('data', (chunk: Buffer) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    parse();
  });
  const closed = new Promise<void>((resolve) => {
    socket.once('close', () => {
      ended = true;
      for (const waiter of waiters.splice(0))
        waiter.reject(failure ?? new Error('the server closed the connection'));
      resolve();
    });
  });
  socket.on('error', () => {
    // reported through `closed` and next()
  });

  return {
    socket,
    closed,
    leftover: () => buffered.length,
    next(timeoutMs = 5000) {
      socket.resume();
      const response = ready.shift();
      if (response) return Promise.resolve(response);
      if (ended) return Promise.reject(failure ?? new Error('the server closed the connection'));
      return new Promise((resolve, reject) => {
        const waiter = {
          resolve: (value: RawHttpResponse) => {
            clearTimeout(timer);
            resolve(value);
          },
          reject: (error: Error) => {
            clearTimeout(timer);
            reject(error);
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`no HTTP response within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
  };
}

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

const deepArray = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

/**
 * Bad input on the HTTP API (protocol.md section 7 statuses) and on the
 * WebSocket upgrade of `enableWebsocket`, shared by every adapter built on
 * http-server. Call at the top level of a test file; it registers its own
 * describe/it blocks and stops what it starts.
 */
export function runHttpBadInputCases(options: HttpBadInputOptions): void {
  describe(`${options.name} HTTP bad input (shared)`, () => {
    const servers: HttpBadInputServer[] = [];
    const connections: PipelinedConnection[] = [];
    const bots: BotSocket[] = [];

    afterEach(async () => {
      for (const connection of connections.splice(0)) connection.socket.destroy();
      await Promise.all(bots.splice(0).map((bot) => bot.close()));
      await Promise.all(servers.splice(0).map((server) => server.stop()));
    });

    async function start(entry: Record<string, unknown> = {}): Promise<HttpBadInputServer> {
      const server = await options.start(entry);
      servers.push(server);
      return server;
    }

    async function pipelined(url: string): Promise<PipelinedConnection> {
      const connection = await openPipelinedConnection(url);
      connections.push(connection);
      return connection;
    }

    async function stillServes(url: string): Promise<void> {
      const response = await fetch(`${url}/get_login_info`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'ok', retcode: 0 });
    }

    const postJson = (url: string, body: string | Buffer, headers: Record<string, string> = {}) =>
      sendRawRequest(url, { headers: { 'content-type': 'application/json', ...headers }, body });

    it('accepts a body exactly at maxBodySize; one byte over (content-length or chunked) gets 413 with a OneBot body; the server keeps serving', async () => {
      const limit = 1024;
      const { url } = await start({ maxBodySize: limit });
      const envelope = '{"pad":""}'.length;
      const at = JSON.stringify({ pad: 'x'.repeat(limit - envelope) });
      expect(Buffer.byteLength(at)).toBe(limit);
      const ok = await postJson(`${url}/echo_params`, at);
      expect(ok.status).toBe(200);
      expect(JSON.parse(ok.text)).toMatchObject({
        status: 'ok',
        data: { pad: 'x'.repeat(limit - envelope) },
      });
      const over = JSON.stringify({ pad: 'x'.repeat(limit - envelope + 1) });
      for (const headers of [{}, { 'transfer-encoding': 'chunked' }] as Array<Record<string, string>>) {
        const refused = await postJson(`${url}/echo_params`, over, headers);
        expect(refused.status, JSON.stringify(headers)).toBe(413);
        expect(JSON.parse(refused.text)).toMatchObject({
          status: 'failed',
          retcode: 1429,
          data: null,
          message: expect.stringMatching(/maxBodySize/),
        });
        await stillServes(url);
      }
    });

    it('answers a far larger chunked body without a content-length with 413, not a hang', async () => {
      const { url, backend } = await start({ maxBodySize: 1024 });
      const refused = await postJson(
        url,
        JSON.stringify({ action: 'echo_params', params: { pad: 'y'.repeat(1024 * 1024) } }),
        {
          'transfer-encoding': 'chunked',
        },
      );
      expect(refused.status).toBe(413);
      expect(JSON.parse(refused.text)).toMatchObject({ retcode: 1429 });
      expect(backend.calls).toHaveLength(0);
      await stillServes(url);
    });

    it('refuses invalid UTF-8 in a JSON body with 400 instead of replacing it', async () => {
      const { url, backend } = await start();
      const invalid = Buffer.concat([
        Buffer.from('{"a":"'),
        Buffer.from([0xc3, 0x28, 0xff]),
        Buffer.from('"}'),
      ]);
      for (const path of ['/echo_params', '/']) {
        const refused = await postJson(`${url}${path}`, invalid);
        expect(refused.status, path).toBe(400);
        expect(JSON.parse(refused.text)).toMatchObject({
          status: 'failed',
          retcode: 1400,
          message: expect.stringMatching(/UTF-8/),
        });
      }
      expect(backend.calls).toHaveLength(0);
      await stillServes(url);
    });

    it('answers nesting 1400 levels deep with 400 / 1400, never 500', async () => {
      const { url, backend } = await start();
      const onPath = await postJson(`${url}/echo_params`, `{"x":${deepArray(1400)}}`);
      expect(onPath.status).toBe(400);
      expect(JSON.parse(onPath.text)).toMatchObject({
        retcode: 1400,
        message: expect.stringMatching(/deeper than/),
      });
      const onRoot = await postJson(
        url,
        `{"action":"echo_params","params":{"x":${deepArray(1400)}},"echo":"deep"}`,
      );
      expect(onRoot.status).toBe(400);
      expect(JSON.parse(onRoot.text)).toMatchObject({ retcode: 1400, echo: 'deep' });
      expect(backend.calls).toHaveLength(0);
      await stillServes(url);
    });

    it('answers wrong parameter types and missing parameters with 400 naming the parameter', async () => {
      const { url, backend } = await start();
      const cases: Array<[string, string, RegExp]> = [
        ['/send_private_msg', JSON.stringify({ user_id: 'not-a-number', message: 'hi' }), /user_id/],
        ['/send_group_msg', JSON.stringify({ group_id: { a: 1 }, message: 'hi' }), /group_id/],
        ['/send_group_msg', JSON.stringify({ message: 'hi' }), /group_id/],
        ['/', JSON.stringify({ action: 'send_private_msg', params: { message: 'hi' }, echo: 7 }), /user_id/],
      ];
      for (const [path, body, names] of cases) {
        const refused = await postJson(`${url}${path}`, body);
        expect(refused.status, body).toBe(400);
        expect(JSON.parse(refused.text)).toMatchObject({
          status: 'failed',
          retcode: 1400,
          message: expect.stringMatching(names),
        });
      }
      const missingByQuery = await fetch(`${url}/send_group_msg?message=hi`);
      expect(missingByQuery.status).toBe(400);
      expect(backend.calls).toHaveLength(0);
    });

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
            requests.push(
              post('/', `{"action":"echo_params","params":{"x":${deepArray(1400)}},"echo":${i}}`),
            );
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

    describe('WebSocket upgrade (enableWebsocket), frame limit = maxBodySize', () => {
      const maxBodySize = 4096;

      async function openApi(url: string): Promise<BotSocket> {
        const bot = await connectBotSocket(`${url.replace(/^http/, 'ws')}/api`);
        if ('rejected' in bot) throw new Error(`handshake refused with ${bot.status}`);
        bots.push(bot);
        return bot;
      }

      function closeCode(ws: WebSocket): Promise<number> {
        return new Promise((resolve) => ws.once('close', (code) => resolve(code)));
      }

      async function stillAnswers(url: string): Promise<void> {
        const other = await openApi(url);
        other.ws.send(JSON.stringify({ action: 'get_login_info', echo: 'alive' }));
        expect(await other.next()).toMatchObject({ retcode: 0, echo: 'alive' });
        await stillServes(url);
      }

      it('answers a binary frame with 1400 and no echo, then keeps the connection', async () => {
        const { url, backend } = await start({ enableWebsocket: true, maxBodySize });
        const api = await openApi(url);
        api.ws.send(Buffer.from(JSON.stringify({ action: 'get_login_info', echo: 'bin' })), { binary: true });
        const answer = await api.next();
        expect(answer).toMatchObject({ status: 'failed', retcode: 1400 });
        expect(answer).not.toHaveProperty('echo');
        expect(String(answer.message)).toMatch(/text frame/);
        api.ws.send(JSON.stringify({ action: 'get_login_info', echo: 'text' }));
        expect(await api.next()).toMatchObject({ retcode: 0, echo: 'text' });
        expect(backend.calls).toHaveLength(0);
      });

      it('answers a frame exactly at the limit and closes with 1009 one byte over it', async () => {
        const { url } = await start({ enableWebsocket: true, maxBodySize });
        const api = await openApi(url);
        const envelope = JSON.stringify({ action: 'echo_params', params: { pad: '' }, echo: 1 });
        const fits = JSON.stringify({
          action: 'echo_params',
          params: { pad: 'x'.repeat(maxBodySize - envelope.length) },
          echo: 1,
        });
        expect(Buffer.byteLength(fits)).toBe(maxBodySize);
        api.ws.send(fits);
        expect(await api.next()).toMatchObject({ retcode: 0, echo: 1 });
        const closed = closeCode(api.ws);
        api.ws.send(`${fits} `);
        expect(await closed).toBe(1009);
        await stillAnswers(url);
      });

      it('closes a connection that sends invalid UTF-8 in a text frame with 1007', async () => {
        const { url } = await start({ enableWebsocket: true, maxBodySize });
        const api = await openApi(url);
        const closed = closeCode(api.ws);
        // ws's client does not validate outgoing text, so these bytes go out as a text frame.
        api.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
        expect(await closed).toBe(1007);
        await closeSocket(api.ws);
        await stillAnswers(url);
      });
    });
  });
}
