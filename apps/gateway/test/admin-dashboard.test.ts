import { once } from 'node:events';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createRecordingLogger, type RecordingLogger } from '@onebot-gateway/testkit';
import { SECRET_MASK } from '../src/admin/config-mask.js';
import { ADMIN_STREAM_MAX_BUFFERED_BYTES } from '../src/admin/sse-streams.js';
import type { GatewayHandle } from '../src/index.js';
import { createLogTap } from '../src/log-tap.js';
import { useGatewayProcesses } from './support/fixture.js';
import { until } from './support/gateway-process.js';
import { dataOf, openSse, type SseReader } from './support/sse-reader.js';

const ADMIN_TOKEN = 'admin-secret-1';
const API_TOKEN = 'api-secret-2';
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

function fileConfig(overrides: { adminToken?: string } = {}) {
  return {
    $comment: 'unknown keys stay',
    network: {
      httpServers: [
        { name: 'api', enable: true, host: '127.0.0.1', port: 0, token: API_TOKEN, napcatFuture: 1 },
      ],
      websocketServers: [{ name: 'ws', enable: true, host: '127.0.0.1', port: 0, token: '' }],
      websocketClients: [
        { name: 'off', enable: false, url: 'ws://127.0.0.1:9/onebot?access_token=url-secret-3' },
      ],
    },
    gateway: {
      backend: { type: 'sandbox' },
      admin: { enable: true, host: '127.0.0.1', port: 0, token: overrides.adminToken ?? ADMIN_TOKEN },
      logLevel: 'info',
      futureKey: 'kept',
    },
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('admin API dashboard routes (in-process gateway on a config file)', () => {
  const fixture = useGatewayProcesses();
  let gateway: GatewayHandle;
  let logger: RecordingLogger;

  async function start(
    config: unknown = fileConfig(),
    text?: string,
    options: { logTap?: ReturnType<typeof createLogTap>; watch?: boolean } = {},
  ) {
    const configPath = await fixture.configFile(
      text ?? JSON.stringify(config, null, 2) + '\n',
      'admin-dashboard-',
    );
    logger = createRecordingLogger();
    gateway = await fixture.start({ configPath, logger, ...options });
    const base = `http://${gateway.adminAddress()!}`;
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${base}${path}`, { ...init, headers: { ...auth, ...(init.headers as Record<string, string>) } });
    const put = (body: unknown) =>
      api('/api/config', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    return { base, api, put, configPath, logger };
  }

  function sse(url: string, init?: RequestInit): Promise<SseReader> {
    return openSse(url, init).then((reader) => fixture.track(reader));
  }

  it('GET /api/config: the file as written, unknown keys kept, every secret masked', async () => {
    const { api } = await start();
    const response = await api('/api/config');
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toMatch(/secret-\d/);
    const config = JSON.parse(text) as ReturnType<typeof fileConfig>;
    expect(config.$comment).toBe('unknown keys stay');
    expect(config.gateway.futureKey).toBe('kept');
    expect(config.network.httpServers[0]).toEqual({
      name: 'api',
      enable: true,
      host: '127.0.0.1',
      port: 0,
      token: SECRET_MASK,
      napcatFuture: 1,
    });
    // As written: no defaults filled in.
    expect(config.network.websocketServers[0]).toEqual({
      name: 'ws',
      enable: true,
      host: '127.0.0.1',
      port: 0,
      token: '',
    });
    expect(config.network.websocketClients[0]!.url).toBe(
      `ws://127.0.0.1:9/onebot?access_token=${SECRET_MASK}`,
    );
    expect(config.gateway.admin.token).toBe(SECRET_MASK);
  });

  it('PUT /api/config with problems: 400 with every {path, message}, the file and the running adapters untouched', async () => {
    const { put, configPath } = await start();
    const before = await readFile(configPath, 'utf8');
    const bad = fileConfig();
    (bad.network.httpServers[0] as Record<string, unknown>).port = 'eighty';
    bad.network.websocketServers.push({ name: 'api', enable: true, host: '127.0.0.1', port: 0, token: '' });
    (bad.gateway as Record<string, unknown>).logLevel = 'loud';
    const response = await put(bad);
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      error: string;
      problems: Array<{ path: string; message: string }>;
    };
    expect(body.problems.map((problem) => problem.path).sort()).toEqual(
      ['gateway.logLevel', 'network.httpServers[0].port', 'network.websocketServers[1].name'].sort(),
    );
    for (const problem of body.problems) expect(problem.message).toEqual(expect.any(String));
    expect(JSON.stringify(body)).not.toMatch(/secret-\d/);
    expect(await readFile(configPath, 'utf8')).toBe(before);
    expect((await readdir(dirname(configPath))).sort()).toEqual(['onebot11.json']);
    expect(gateway.adapters().map((a) => [a.name, a.status])).toEqual([
      ['api', 'running'],
      ['ws', 'running'],
      ['off', 'disabled'],
    ]);
  });

  it('PUT /api/config refuses a broken backend (validated like a reload) and a mask with nothing to keep', async () => {
    const { put, configPath } = await start();
    const before = await readFile(configPath, 'utf8');
    const brokenBackend = fileConfig();
    (brokenBackend.gateway as Record<string, unknown>).backend = { type: 'upstream', url: 'http://not-ws' };
    const first = await put(brokenBackend);
    expect(first.status).toBe(400);
    expect(((await first.json()) as { problems: Array<{ path: string }> }).problems).toEqual([
      { path: 'gateway.backend.url', message: expect.stringMatching(/ws:\/\//) },
    ]);
    const renamed = fileConfig();
    renamed.network.httpServers[0]!.name = 'renamed';
    renamed.network.httpServers[0]!.token = SECRET_MASK;
    const second = await put(renamed);
    expect(second.status).toBe(400);
    expect(((await second.json()) as { problems: Array<{ path: string }> }).problems).toEqual([
      { path: 'network.httpServers[0].token', message: expect.stringMatching(/no current value to keep/) },
    ]);
    expect(await readFile(configPath, 'utf8')).toBe(before);
  });

  it('PUT /api/config: a masked secret never goes to a new destination (client url, kind): 400, nothing changes', async () => {
    const { api, put, configPath } = await start();
    const before = await readFile(configPath, 'utf8');
    const masked = (await (await api('/api/config')).json()) as ReturnType<typeof fileConfig> & {
      network: Record<string, Array<Record<string, unknown>>>;
    };
    const problemsOf = async (body: unknown) => {
      const response = await put(body);
      expect(response.status).toBe(400);
      return ((await response.json()) as { problems: Array<{ path: string; message: string }> }).problems;
    };
    // Same name, same kind, url pointed elsewhere: the URL's access_token and the token field stay masked.
    const evilClient = structuredClone(masked);
    (evilClient.network as Record<string, unknown[]>).websocketClients = [
      {
        name: 'off',
        enable: true,
        url: `ws://127.0.0.1:9/evil?access_token=${SECRET_MASK}`,
        token: SECRET_MASK,
      },
    ];
    expect(await problemsOf(evilClient)).toEqual([
      {
        path: 'network.websocketClients[0].url',
        message: expect.stringMatching(/retype the token: the entry's url changed/),
      },
      {
        path: 'network.websocketClients[0].token',
        message: expect.stringMatching(/retype the token: the entry's url changed/),
      },
    ]);
    // The httpServers entry "api" renamed into a client of the same name.
    const moved = structuredClone(masked);
    moved.network.httpServers = [];
    moved.network.httpClients = [
      { name: 'api', enable: true, url: 'http://127.0.0.1:9/', token: SECRET_MASK },
    ];
    expect(await problemsOf(moved)).toEqual([
      {
        path: 'network.httpClients[0].token',
        message: expect.stringMatching(/retype the token: the entry moved from network\.httpServers/),
      },
    ]);
    expect(await readFile(configPath, 'utf8')).toBe(before);
    expect(gateway.adapters().find((adapter) => adapter.name === 'off')!.status).toBe('disabled');
  });

  it('PUT /api/config: written atomically with a .bak, masked secrets kept, a port change applied (a client reaches the new port), applied once', async () => {
    const { api, put, configPath, logger } = await start();
    const before = await readFile(configPath, 'utf8');
    const masked = (await (await api('/api/config')).json()) as ReturnType<typeof fileConfig>;
    const port = await freePort();
    masked.network.httpServers[0]!.port = port;
    masked.network.websocketServers[0]!.enable = false;
    masked.network.websocketServers.push({
      name: 'ws2',
      enable: true,
      host: '127.0.0.1',
      port: 0,
      token: '',
    });
    const response = await put(masked);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      saved: boolean;
      adapters: Array<{ name: string; result: string }>;
    };
    expect(body.saved).toBe(true);
    // Every adapter, in the order of the saved file.
    expect(body.adapters.map((a) => a.name)).toEqual(['api', 'ws', 'ws2', 'off']);
    expect(body.adapters.find((a) => a.name === 'api')?.result).toMatch(/^(reloaded|started)$/);
    expect(body.adapters.find((a) => a.name === 'ws')).toEqual({ name: 'ws', result: 'stopped' });
    expect(body.adapters.find((a) => a.name === 'ws2')).toEqual({ name: 'ws2', result: 'started' });
    expect(body.adapters.find((a) => a.name === 'off')).toEqual({ name: 'off', result: 'unchanged' });
    expect((body as unknown as { restartRequired: string[] }).restartRequired).toEqual([]);

    // The new port serves the HTTP API, with the token the mask kept.
    const call = await fetch(`http://127.0.0.1:${port}/get_login_info`, {
      headers: { authorization: `Bearer ${API_TOKEN}` },
    });
    expect(call.status).toBe(200);
    expect(await call.json()).toMatchObject({ retcode: 0, data: { user_id: 10000 } });

    const written = JSON.parse(await readFile(configPath, 'utf8')) as ReturnType<typeof fileConfig>;
    expect(written.network.httpServers[0]).toMatchObject({ port, token: API_TOKEN, napcatFuture: 1 });
    expect(written.network.websocketClients[0]!.url).toBe(
      'ws://127.0.0.1:9/onebot?access_token=url-secret-3',
    );
    expect(written.gateway).toMatchObject({ admin: { token: ADMIN_TOKEN }, futureKey: 'kept' });
    expect(written.$comment).toBe('unknown keys stay');
    expect(await readFile(`${configPath}.bak`, 'utf8')).toBe(before);
    expect((await readdir(dirname(configPath))).sort()).toEqual(['onebot11.json', 'onebot11.json.bak']);

    // The watcher sees the same text the save applied: nothing is applied a second time.
    expect(await gateway.reloadFromFile()).toBeUndefined();
    expect(logger.records.filter((r) => /^config applied/.test(r.msg))).toHaveLength(1);
    expect(logger.text()).not.toMatch(/secret-\d/);
  });

  it('PUT /api/config: a gateway.admin change is saved and reported as needing a restart', async () => {
    const { api, put } = await start();
    const masked = (await (await api('/api/config')).json()) as ReturnType<typeof fileConfig>;
    (masked.gateway.admin as Record<string, unknown>).allowedHosts = ['dash.lan'];
    const response = await put(masked);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ saved: true, restartRequired: ['gateway.admin'] });
    // The running admin API (and its token) stay until the restart.
    expect((await api('/api/config')).status).toBe(200);
  });

  it('PUT /api/config: concurrent saves run one after another (the second backs up the first)', async () => {
    const { put, configPath } = await start();
    const one = fileConfig();
    one.gateway.futureKey = 'one';
    const two = fileConfig();
    two.gateway.futureKey = 'two';
    const [a, b] = await Promise.all([put(one), put(two)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const final = JSON.parse(await readFile(configPath, 'utf8')) as ReturnType<typeof fileConfig>;
    const backup = JSON.parse(await readFile(`${configPath}.bak`, 'utf8')) as ReturnType<typeof fileConfig>;
    // Whichever ran last, it backed up the complete result of the other.
    expect([final.gateway.futureKey, backup.gateway.futureKey].sort()).toEqual(['one', 'two']);
  });

  it('PUT /api/config: 413 past 1 MiB, 400 for a body that is not JSON, and the file untouched', async () => {
    const { put, configPath } = await start();
    const before = await readFile(configPath, 'utf8');
    const huge = fileConfig() as Record<string, unknown>;
    huge.padding = 'x'.repeat(1024 * 1024);
    const tooLarge = await put(huge);
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toEqual({ error: expect.stringMatching(/larger than 1048576 bytes/) });
    const notJson = await put('{"network": ');
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { problems: unknown[] }).problems).toHaveLength(1);
    expect(await readFile(configPath, 'utf8')).toBe(before);
  });

  it('PUT /api/config: a deeply nested body is a 400 saying so (not a 500), and the file untouched', async () => {
    const { put, api, configPath } = await start();
    const before = await readFile(configPath, 'utf8');
    const deep = 10_000;
    const nestedConfig = JSON.stringify(fileConfig()).replace(
      /}$/,
      `, "padding": ${'['.repeat(deep)}${']'.repeat(deep)}}`,
    );
    for (const body of [
      '['.repeat(1024 * 1024 - 1),
      nestedConfig,
      `${'['.repeat(deep)}${']'.repeat(deep)}`,
    ]) {
      const response = await put(body);
      expect(response.status).toBe(400);
      const answer = (await response.json()) as {
        error: string;
        problems: Array<{ path: string; message: string }>;
      };
      expect(answer.error).toMatch(/nested deeper than 128 levels/);
      expect(answer.problems).toEqual([
        { path: '', message: expect.stringMatching(/nested deeper than 128/) },
      ]);
    }
    expect(await readFile(configPath, 'utf8')).toBe(before);
    // Still serving, and an ordinary save still works.
    expect((await api('/api/config')).status).toBe(200);
    expect((await put(fileConfig())).status).toBe(200);
  });

  it('PUT /api/config: 409 when the file changed on disk since it was loaded (an edit not applied yet), nothing written', async () => {
    // No watcher: the hand edit below stays unapplied, as during the watcher's debounce.
    const { put, api, configPath } = await start(fileConfig(), undefined, { watch: false });
    const edited = JSON.stringify({
      ...fileConfig(),
      gateway: { ...fileConfig().gateway, logLevel: 'debug' },
    });
    await writeFile(configPath, edited);
    const stale = (await (await api('/api/config')).json()) as ReturnType<typeof fileConfig>;
    expect(stale.gateway.logLevel).toBe('info');
    const response = await put({ ...stale, $comment: 'from the dashboard' });
    expect(response.status).toBe(409);
    expect(((await response.json()) as { error: string }).error).toMatch(
      /^onebot11\.json changed on disk since the gateway last loaded or saved it .*reload the page \(GET \/api\/config again\)/,
    );
    expect(await readFile(configPath, 'utf8')).toBe(edited);
    expect(await readdir(dirname(configPath))).toEqual(['onebot11.json']);
    // Once the edit is applied, a save built on it goes through.
    await gateway.reloadFromFile();
    const fresh = (await (await api('/api/config')).json()) as ReturnType<typeof fileConfig>;
    expect(fresh.gateway.logLevel).toBe('debug');
    expect((await put({ ...fresh, $comment: 'from the dashboard' })).status).toBe(200);
    const saved = JSON.parse(await readFile(configPath, 'utf8')) as ReturnType<typeof fileConfig>;
    expect([saved.$comment, saved.gateway.logLevel]).toEqual(['from the dashboard', 'debug']);
  });

  it('PUT /api/config: 409 when the file on disk holds an edit the watcher refused (invalid), the edit kept', async () => {
    const { put, api, configPath } = await start();
    const broken = '{ "network": { "httpServers": [ ';
    await writeFile(configPath, broken);
    await waitForRecord(/config change ignored, the running configuration stays/);
    const running = (await (await api('/api/config')).json()) as ReturnType<typeof fileConfig>;
    const response = await put(running);
    expect(response.status).toBe(409);
    expect(((await response.json()) as { error: string }).error).toMatch(/changed on disk/);
    expect(await readFile(configPath, 'utf8')).toBe(broken);
  });

  it('GET /api/events: a sandbox message and the bot reply arrive, in the asked format', async () => {
    const { base, api } = await start();
    const arrays = await sse(`${base}/api/events`, { headers: auth });
    const strings = await sse(`${base}/api/events?format=string`, { headers: auth });
    expect(arrays.status).toBe(200);
    expect(arrays.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const sent = await api('/api/sandbox/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        message_type: 'group',
        user_id: 10001,
        group_id: 20001,
        message: 'ping [CQ:face,id=1]',
      }),
    });
    expect(sent.status).toBe(200);
    const asArray = dataOf(await arrays.next((f) => dataOf(f)?.raw_message === 'ping [CQ:face,id=1]'))!;
    expect(asArray).toMatchObject({ post_type: 'message', message_format: 'array', group_id: 20001 });
    expect(Array.isArray(asArray.message)).toBe(true);
    const asString = dataOf(await strings.next((f) => dataOf(f)?.post_type === 'message'))!;
    expect(asString).toMatchObject({ message: 'ping [CQ:face,id=1]', message_format: 'string' });
    // The bot's own message (from any adapter, here the actions route) is an event too.
    await api('/api/actions/send_group_msg', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ group_id: 20001, message: 'pong' }),
    });
    expect(dataOf(await arrays.next((f) => dataOf(f)?.post_type === 'message_sent'))).toMatchObject({
      raw_message: 'pong',
    });
    const badFormat = await api('/api/events?format=xml');
    expect(badFormat.status).toBe(400);
  });

  it('GET /api/events: a client that stops reading is cut at the byte bound while a bot gets every event', async () => {
    const { base } = await start(fileConfig({ adminToken: '' }));
    const wsAddress = gateway.adapters().find((a) => a.name === 'ws')!.address!;
    const bot = new WebSocket(`ws://${wsAddress}`);
    fixture.track({ close: () => bot.terminate() });
    const received: number[] = [];
    bot.on('message', (data) => {
      const event = JSON.parse(String(data)) as { post_type: string; message_id?: number };
      if (event.post_type === 'message') received.push(event.message_id!);
    });
    await once(bot, 'open');

    // A dashboard that never reads: a raw socket, paused, its request sent.
    const { port } = new URL(base);
    const stalled: Socket = connect(Number(port), '127.0.0.1');
    fixture.track({ close: () => stalled.destroy() });
    await once(stalled, 'connect');
    stalled.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    // Read the response head (the stream is open), then never read again.
    const [head] = (await once(stalled, 'data')) as [Buffer];
    stalled.pause();
    expect(head.toString()).toMatch(/^HTTP\/1\.1 200/);

    const sandbox = gateway.backend() as unknown as {
      simulateMessage(input: Record<string, unknown>): { message_id: number };
    };
    const big = 'x'.repeat(60 * 1024);
    const ids: number[] = [];
    // Far more than the bound, published in one go: the bus never waits for a reader.
    for (let i = 0; i < 150; i++) {
      ids.push(
        sandbox.simulateMessage({ message_type: 'private', user_id: 10001, message: `${i} ${big}` })
          .message_id,
      );
    }
    const cut = await waitForRecord(/closed an admin events stream that stopped reading/);
    const unsent = cut.obj.unsentBytes as number;
    expect(unsent).toBeGreaterThan(ADMIN_STREAM_MAX_BUFFERED_BYTES);
    // At most one frame over the bound is ever held.
    expect(unsent).toBeLessThan(ADMIN_STREAM_MAX_BUFFERED_BYTES + 128 * 1024);
    // The bot got every event, in order.
    await until(() => received.length === ids.length, 'the bot to get every event', 10_000);
    expect(received).toEqual(ids);
    // A fresh dashboard still gets events.
    const fresh = await sse(`${base}/api/events`);
    sandbox.simulateMessage({ message_type: 'private', user_id: 10001, message: 'after the cut' });
    await fresh.next((f) => dataOf(f)?.raw_message === 'after the cut');
  });

  it('GET /api/logs: a reader that stops reading is cut too, the others keep getting lines', async () => {
    const logTap = createLogTap();
    const { base } = await start(fileConfig({ adminToken: '' }), undefined, { logTap });
    logTap.write('{"level":30,"msg":"before anyone listened"}\n');
    const reading = await sse(`${base}/api/logs`);
    await reading.next((f) => dataOf(f)?.msg === 'before anyone listened');
    const { port } = new URL(base);
    const stalled: Socket = connect(Number(port), '127.0.0.1');
    fixture.track({ close: () => stalled.destroy() });
    await once(stalled, 'connect');
    stalled.write(`GET /api/logs HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    await once(stalled, 'data');
    stalled.pause();
    // Line by line, each one read by the reading client before the next: only the stalled
    // one falls behind (the kernel's socket buffers take the first megabytes).
    const cutLine = /closed an admin logs stream that stopped reading/;
    const padding = 'y'.repeat(200 * 1024);
    for (let i = 0; i < 400 && !logger.records.some((r) => cutLine.test(r.msg)); i++) {
      logTap.write(JSON.stringify({ level: 30, msg: `line ${i}`, padding }));
      await reading.next((f) => f.data?.includes(`"line ${i}"`) === true);
      reading.frames.length = 0;
    }
    const cut = await waitForRecord(cutLine);
    expect(cut.obj.unsentBytes as number).toBeLessThan(ADMIN_STREAM_MAX_BUFFERED_BYTES + 128 * 1024);
    expect(logTap.listenerCount()).toBe(1);
    logTap.write('{"level":30,"msg":"still flowing"}\n');
    await reading.next((f) => dataOf(f)?.msg === 'still flowing');
  });

  it('GET /api/events: streams end when the gateway stops', async () => {
    const { base } = await start();
    const reader = await sse(`${base}/api/events`, { headers: auth });
    const stopped = gateway.stop();
    await reader.ended;
    await stopped;
  });

  it('POST /api/actions/:action: answered like the HTTP API (OneBot JSON without echo, status from the retcode)', async () => {
    const { api } = await start();
    const post = (action: string, body?: string) =>
      api(`/api/actions/${action}`, {
        method: 'POST',
        ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body }),
      });
    const ok = await post('get_login_info');
    expect(ok.status).toBe(200);
    const okBody = (await ok.json()) as Record<string, unknown>;
    expect(okBody).toMatchObject({ status: 'ok', retcode: 0, data: { user_id: 10000 } });
    expect(Object.hasOwn(okBody, 'echo')).toBe(false);

    const sent = await post('send_private_msg', JSON.stringify({ user_id: 10001, message: 'hi' }));
    expect(sent.status).toBe(200);
    expect(await sent.json()).toMatchObject({ retcode: 0, data: { message_id: expect.any(Number) } });

    const unknown = await post('no_such_action', '{}');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ status: 'failed', retcode: 1404 });

    const badParams = await post('send_private_msg', JSON.stringify({ message: 'no user' }));
    expect(badParams.status).toBe(400);
    expect(await badParams.json()).toMatchObject({ status: 'failed', retcode: 1400 });

    const notObject = await post('get_status', '[1]');
    expect(notObject.status).toBe(400);
    expect(await notObject.json()).toMatchObject({ status: 'failed', retcode: 1400 });

    const notJson = await post('get_status', '{oops');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ status: 'failed', retcode: 1400 });

    const failed = await post('send_group_msg', JSON.stringify({ group_id: 99999, message: 'x' }));
    expect(failed.status).toBe(200);
    expect(await failed.json()).toMatchObject({ status: 'failed', retcode: 100 });
  });

  it('GET /api/sandbox/world: self, friends, groups with members and roles', async () => {
    const { api } = await start();
    const response = await api('/api/sandbox/world');
    expect(response.status).toBe(200);
    const world = (await response.json()) as {
      self: unknown;
      friends: Array<{ user_id: number; nickname: string }>;
      groups: Array<{ group_id: number; members: Array<{ user_id: number; role: string }> }>;
    };
    expect(world.self).toEqual({ user_id: 10000, nickname: expect.any(String) });
    expect(world.friends.map((f) => [f.user_id, f.nickname])).toEqual([
      [10001, 'Alice'],
      [10002, 'Bob'],
    ]);
    const group = world.groups.find((g) => g.group_id === 20001)!;
    expect(group.members.find((m) => m.user_id === 10001)?.role).toBe('admin');
    expect(group.members.find((m) => m.user_id === 10000)?.role).toMatch(/owner|admin|member/);
  });

  it('GET /api/schema: the config JSON Schema and every action with params and result', async () => {
    const { api } = await start();
    const response = await api('/api/schema');
    expect(response.status).toBe(200);
    const schema = (await response.json()) as {
      config: { definitions: Record<string, { properties: Record<string, Record<string, unknown>> }> };
      actions: Record<string, { description: string; params: Record<string, unknown>; result: unknown }>;
    };
    expect(schema.config.definitions['websocketServers']!.properties['port']).toMatchObject({
      default: 3001,
      anyOf: expect.arrayContaining([{ type: 'integer', minimum: 0, maximum: 65535 }]),
      description: expect.stringContaining('Port'),
    });
    expect(schema.config.definitions['httpClients']!.properties['token']).toMatchObject({ writeOnly: true });
    expect(schema.actions['send_private_msg']).toMatchObject({
      description: expect.stringContaining('private message'),
      params: { type: 'object', required: ['user_id', 'message'] },
      result: { type: 'object', properties: { message_id: { type: 'number' } } },
    });
    expect(Object.keys(schema.actions).length).toBeGreaterThan(80);
  });

  it('GET /api/sandbox/world on the relay backend: 404 saying why', async () => {
    const upstream = await fixture.fakeUpstream();
    const configPath = await fixture.configFile(
      JSON.stringify({
        network: {},
        gateway: { backend: { type: 'upstream', url: upstream.url }, admin: { host: '127.0.0.1', port: 0 } },
      }),
      'admin-dashboard-',
    );
    const gateway = await fixture.start({ configPath });
    const response = await fetch(`http://${gateway.adminAddress()!}/api/sandbox/world`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: expect.stringMatching(/backend is "upstream".*gateway\.backend\.type "sandbox"/),
    });
  });

  it('every new route: 401 without the token, 403 with a wrong one, 421 for a foreign Host', async () => {
    const { base } = await start();
    const routes: Array<[string, string]> = [
      ['GET', '/api/config'],
      ['PUT', '/api/config'],
      ['GET', '/api/events'],
      ['GET', '/api/logs'],
      ['POST', '/api/actions/get_status'],
      ['GET', '/api/sandbox/world'],
      ['GET', '/api/schema'],
    ];
    for (const [method, path] of routes) {
      const init = {
        method,
        ...(method === 'GET' ? {} : { headers: { 'content-type': 'application/json' }, body: '{}' }),
      };
      const missing = await fetch(`${base}${path}`, init);
      expect([method, path, missing.status]).toEqual([method, path, 401]);
      const wrong = await fetch(`${base}${path}`, {
        ...init,
        headers: { ...(init.headers ?? {}), authorization: 'Bearer nope' },
      });
      expect([method, path, wrong.status]).toEqual([method, path, 403]);
    }
    // The Host guard (DNS rebinding) answers before the token: raw request, fetch cannot set Host.
    const { port } = new URL(base);
    for (const [method, path] of routes) {
      const socket = connect(Number(port), '127.0.0.1');
      fixture.track({ close: () => socket.destroy() });
      await once(socket, 'connect');
      socket.write(
        `${method} ${path} HTTP/1.1\r\nHost: evil.example\r\nAuthorization: Bearer ${ADMIN_TOKEN}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
      );
      let answer = '';
      socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
      await once(socket, 'end');
      expect([method, path, answer.split('\r\n')[0]]).toEqual([
        method,
        path,
        'HTTP/1.1 421 Misdirected Request',
      ]);
    }
  });

  it('every new route on a token-less admin API: 403 for a cross-site browser request', async () => {
    const { base } = await start(fileConfig({ adminToken: '' }));
    for (const [method, path] of [
      ['GET', '/api/config'],
      ['PUT', '/api/config'],
      ['GET', '/api/events'],
      ['GET', '/api/logs'],
      ['POST', '/api/actions/send_private_msg'],
      ['GET', '/api/sandbox/world'],
    ] as const) {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
        ...(method === 'GET' ? {} : { body: '{"user_id": 10001, "message": "csrf"}' }),
      });
      expect([method, path, response.status]).toEqual([method, path, 403]);
    }
    const history = (await (
      await fetch(`${base}/api/sandbox/messages?message_type=private&user_id=10001`)
    ).json()) as { messages: unknown[] };
    expect(history.messages).toEqual([]);
  });

  async function waitForRecord(pattern: RegExp, timeoutMs = 10_000) {
    const records = logger.records;
    await until(() => records.some((r) => pattern.test(r.msg)), `a log line ${pattern}`, timeoutMs);
    return records.find((r) => pattern.test(r.msg))!;
  }
});
