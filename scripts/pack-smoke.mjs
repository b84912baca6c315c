#!/usr/bin/env node
/**
 * `pnpm check:pack`: proves that every package publishes on its own.
 * Packs each public package (libraries and the gateway app) with `pnpm pack`
 * (what `changeset publish` uploads), installs only those tarballs with npm
 * into an empty folder (so nothing from the workspace can leak in: declared
 * dependencies come from the registry), then runs a small program there that
 * wires the sandbox backend to every adapter kind over real sockets and checks
 * what a bot would see, and runs the gateway from its `onebot-gateway` bin, as
 * `npx @onebot-gateway/gateway` and the Docker image do
 * ([pack-smoke-gateway.mjs](pack-smoke-gateway.mjs)).
 *
 * Needs a build first and the npm registry (the same one `pnpm install`
 * needs). `pnpm test` runs it last; `pnpm check:pack` runs it alone.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { smokeDockerEntrypoint, smokeGatewayBin } from './pack-smoke-gateway.mjs';

const root = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'onebot-pack-'));
const tarballs = join(work, 'tarballs');
const app = join(work, 'app');
mkdirSync(tarballs);
mkdirSync(app);

// The pnpm that runs this script passes its settings to children as npm_config_* variables;
// npm would read (and warn about) them. npm gets a clean environment; registry, proxy and TLS settings kept.
const childEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([key]) =>
      !/^(npm|pnpm)_config_/i.test(key) ||
      /^npm_config_(registry|cache|userconfig|globalconfig|proxy|https_proxy|http_proxy|noproxy|no_proxy|strict_ssl|cafile|ca)$/i.test(
        key,
      ),
  ),
);

/** Runs a step with a time limit, so a hung install or smoke run fails the check instead of the CI job. */
const run = (command, args, cwd, timeoutMinutes) =>
  execFileSync(command, args, {
    cwd,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    timeout: timeoutMinutes * 60_000,
    killSignal: 'SIGKILL',
  });

const PLUGIN_SOURCE = `
export default {
  name: 'echo-plugin',
  setup(ctx) {
    ctx.on('message', (event) => ctx.reply(event, 'plugin saw: ' + event.raw_message));
  },
};
`;

const SMOKE_SOURCE = `
import { createServer } from 'node:http';
import { once } from 'node:events';
import { createActionRouter, createAdapterContext, createEventBus, noopLogger } from '@onebot-gateway/core';
import { createSandboxBackend } from '@onebot-gateway/backend-sandbox';
import { createHttpServerAdapter } from '@onebot-gateway/http-server';
import { createSseServerAdapter } from '@onebot-gateway/sse-server';
import { createWsServerAdapter } from '@onebot-gateway/ws-server';
import { createHttpClientAdapter } from '@onebot-gateway/http-client';
import { createWsClientAdapter } from '@onebot-gateway/ws-client';
import { createPluginAdapter } from '@onebot-gateway/plugin';
import '@onebot-gateway/backend-upstream';
import '@onebot-gateway/nats';
import WebSocket, { WebSocketServer } from 'ws';

const fail = (what) => { console.error('pack smoke FAILED: ' + what); process.exit(1); };
setTimeout(() => fail('the smoke run took longer than 60 s'), 60_000).unref();
const withTimeout = (promise, what) =>
  Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error('timed out: ' + what)), 5000))]);

const router = createActionRouter();
const bus = createEventBus();
const sandbox = createSandboxBackend({ config: { type: 'sandbox' }, router, bus, logger: noopLogger });
await sandbox.start();
const selfId = (await router.handle({ action: 'get_login_info' })).data.user_id;
const context = (name) => createAdapterContext({ router, bus, selfId: () => selfId }, name);

const posted = [];
const receiver = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => (body += chunk));
  request.on('end', () => { posted.push(JSON.parse(body)); response.writeHead(204).end(); });
});
receiver.listen(0, '127.0.0.1');
await once(receiver, 'listening');
const reverseWs = new WebSocketServer({ host: '127.0.0.1', port: 0 });
await once(reverseWs, 'listening');
const reverseFrames = [];
reverseWs.on('connection', (socket) => socket.on('message', (data) => reverseFrames.push(JSON.parse(String(data)))));

const adapters = [
  createHttpServerAdapter({ name: 'http', port: 0 }, context('http')),
  createSseServerAdapter({ name: 'sse', port: 0 }, context('sse')),
  createWsServerAdapter({ name: 'ws', port: 0 }, context('ws')),
  createHttpClientAdapter({ name: 'post', url: 'http://127.0.0.1:' + receiver.address().port }, context('post')),
  createWsClientAdapter({ name: 'reverse', url: 'ws://127.0.0.1:' + reverseWs.address().port }, context('reverse')),
  createPluginAdapter({ name: 'echo-plugin', module: './plugin.mjs' }, context('echo-plugin'), { baseDir: process.cwd() }),
];
for (const adapter of adapters) await withTimeout(adapter.start(), adapter.name + ' start');
const address = (name) => adapters.find((adapter) => adapter.name === name).status().address;

const answer = await (await fetch('http://' + address('http') + '/get_login_info')).json();
if (answer.retcode !== 0 || answer.data.user_id !== selfId) fail('http-server get_login_info: ' + JSON.stringify(answer));

const forward = new WebSocket('ws://' + address('ws') + '/');
const forwardFrames = [];
forward.on('message', (data) => forwardFrames.push(JSON.parse(String(data))));
await once(forward, 'open');
const sse = await fetch('http://' + address('sse') + '/_events');
if (!String(sse.headers.get('content-type')).startsWith('text/event-stream')) fail('sse-server content type ' + sse.headers.get('content-type'));
const sseReader = sse.body.getReader();

const waitFor = async (check, what) => {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) fail(what);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
await waitFor(() => forwardFrames.some((frame) => frame.sub_type === 'connect'), 'ws-server lifecycle connect');
await waitFor(() => reverseFrames.some((frame) => frame.sub_type === 'connect'), 'ws-client lifecycle connect');

const { message_id } = sandbox.simulateMessage({ message_type: 'private', user_id: sandbox.config.friends[0].user_id, message: 'hello' });
const isHello = (frame) => frame.post_type === 'message' && frame.message_id === message_id;
await waitFor(() => forwardFrames.some(isHello), 'ws-server event');
await waitFor(() => reverseFrames.some(isHello), 'ws-client event');
await waitFor(() => posted.some(isHello), 'http-client event');
let sseText = '';
while (!sseText.includes('"message_id":' + message_id)) {
  const { value, done } = await withTimeout(sseReader.read(), 'sse-server event');
  if (done) fail('sse stream ended');
  sseText += new TextDecoder().decode(value);
}
const conversation = () => sandbox.conversation({ message_type: 'private', user_id: sandbox.config.friends[0].user_id });
await waitFor(() => conversation().some((entry) => JSON.stringify(entry.message).includes('plugin saw: hello')), 'plugin reply');

await sseReader.cancel();
forward.close();
for (const adapter of adapters) await withTimeout(adapter.stop(), adapter.name + ' stop');
await sandbox.stop();
receiver.close();
reverseWs.close();
console.log('pack smoke ok: ' + adapters.length + ' adapters from their tarballs served a real event and action');
process.exit(0);
`;

// Interrupted (Ctrl-C, CI timeout): still leave no temporary folder behind.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    rmSync(work, { recursive: true, force: true });
    process.exit(1);
  });
}

try {
  const packages = ['packages', 'apps']
    .flatMap((group) => readdirSync(join(root, group)).map((dir) => join(root, group, dir)))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .filter(({ manifest }) => !manifest.private);
  for (const { dir } of packages) run('pnpm', ['pack', '--pack-destination', tarballs], dir, 2);
  const files = readdirSync(tarballs).map((file) => join(tarballs, file));
  console.log(`packed ${files.length} packages: ${packages.map(({ manifest }) => manifest.name).join(', ')}`);

  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'pack-smoke', private: true, type: 'module' }),
  );
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...files], app, 10);
  // Only what the tarballs declare is installed: a missing dependency fails the imports below.
  writeFileSync(join(app, 'plugin.mjs'), PLUGIN_SOURCE);
  writeFileSync(join(app, 'smoke.mjs'), SMOKE_SOURCE);
  process.stdout.write(run('node', ['smoke.mjs'], app, 2));
  await smokeGatewayBin({ app, env: childEnv });
  await smokeDockerEntrypoint({ app, work, env: childEnv, root });
} finally {
  rmSync(work, { recursive: true, force: true });
}
