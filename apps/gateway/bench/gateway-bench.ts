/**
 * Gateway benchmarks (a command, not a test): `pnpm -F @onebot-gateway/gateway bench`.
 *
 * 1. Startup time to healthy: the real process, from spawn to `/api/health` 200,
 *    against a bare `node` start measured in the same run.
 * 2. RSS with all six adapter kinds enabled, just after start-up and idle, against an idle bare `node`.
 * 3. End-to-end events/s from the sandbox to 100 forward-WebSocket clients,
 *    against the ws-server adapter driven directly by the test kit's fake
 *    backend (same clients, same harness): the ratio is the gateway's cost.
 *
 * The machine is shared, so numbers are noisy: run it twice and keep the
 * steadier run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket, { WebSocketServer } from 'ws';
import { createWsServerAdapter } from '@onebot-gateway/ws-server';
import { createFakeBackend } from '@onebot-gateway/testkit';
import { startGateway } from '../src/index.js';

const cliPath = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const CLIENTS = 100;
const EVENTS = 2_000;
const BATCH = 50;
const STARTUP_RUNS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

function waitForLine(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      const match = buffered.split('\n').find((line) => pattern.test(line));
      if (match) {
        child.stdout!.off('data', onData);
        resolve(match);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`process exited (${code}) before ${pattern}: ${buffered}`)),
    );
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

interface SpawnedGateway {
  child: ChildProcess;
  adminUrl: string;
  dir: string;
}

async function spawnHealthyGateway(
  config: unknown,
  files: Record<string, string> = {},
): Promise<SpawnedGateway & { msToHealthy: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'onebot-gateway-bench-'));
  const configPath = join(dir, 'onebot11.json');
  await writeFile(configPath, JSON.stringify(config));
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  const started = performance.now();
  const child = spawn(process.execPath, [cliPath, '--config', configPath], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const adminLine = await waitForLine(child, /admin API on/);
  const adminUrl = `http://${String((JSON.parse(adminLine) as { admin: string }).admin)}`;
  for (;;) {
    const response = await fetch(`${adminUrl}/api/health`).catch(() => undefined);
    if (response?.status === 200) break;
    if (response?.status === 503) throw new Error(`gateway degraded: ${await response.text()}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return { child, adminUrl, dir, msToHealthy: performance.now() - started };
}

function sandboxConfig(network: Record<string, unknown[]>): unknown {
  return {
    network,
    gateway: {
      backend: { type: 'sandbox' },
      admin: { enable: true, host: '127.0.0.1', port: 0 },
      logLevel: 'info',
    },
  };
}

async function bareNodeStartMs(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await once(child, 'exit');
  return performance.now() - started;
}

async function benchStartup(): Promise<{ gatewayMs: number; nodeMs: number }> {
  const gatewayRuns: number[] = [];
  const nodeRuns: number[] = [];
  for (let run = 0; run < STARTUP_RUNS; run += 1) {
    nodeRuns.push(await bareNodeStartMs());
    const gateway = await spawnHealthyGateway(
      sandboxConfig({
        httpServers: [{ name: 'http', enable: true, port: 0 }],
        websocketServers: [{ name: 'ws', enable: true, port: 0 }],
      }),
    );
    gatewayRuns.push(gateway.msToHealthy);
    await stopChild(gateway.child);
    await rm(gateway.dir, { recursive: true, force: true });
  }
  return { gatewayMs: median(gatewayRuns), nodeMs: median(nodeRuns) };
}

/**
 * V8 shrinks its young generation only once the process has been quiet for a
 * while (its memory reducer, about 20-30 s after the start-up burst), so RSS
 * is read twice: just after start-up, and idle.
 */
const IDLE_AFTER_MS = 40_000;

async function benchIdleRss(): Promise<{ startedMb: number; gatewayMb: number; nodeMb: number }> {
  const receiver: Server = createServer((_request, response) => response.writeHead(204).end());
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  const reverse = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(reverse, 'listening');
  const gateway = await spawnHealthyGateway(
    sandboxConfig({
      httpServers: [{ name: 'http', enable: true, port: 0 }],
      httpSseServers: [{ name: 'sse', enable: true, port: 0 }],
      websocketServers: [{ name: 'ws', enable: true, port: 0 }],
      httpClients: [
        { name: 'post', enable: true, url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/` },
      ],
      websocketClients: [
        { name: 'reverse', enable: true, url: `ws://127.0.0.1:${(reverse.address() as AddressInfo).port}/` },
      ],
      plugins: [{ name: 'noop', enable: true, module: './noop-plugin.mjs' }],
    }),
    { 'noop-plugin.mjs': 'export default { name: "noop", setup() {} };\n' },
  );
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const startedMb = await rssOf(gateway.child.pid!);
  await new Promise((resolve) => setTimeout(resolve, IDLE_AFTER_MS - 1_000));
  const gatewayMb = await rssOf(gateway.child.pid!);
  await stopChild(gateway.child);
  await rm(gateway.dir, { recursive: true, force: true });
  for (const socket of reverse.clients) socket.terminate();
  await new Promise((resolve) => reverse.close(resolve));
  await new Promise((resolve) => receiver.close(resolve));

  const bare = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const nodeMb = await rssOf(bare.pid!);
  await stopChild(bare);
  return { startedMb, gatewayMb, nodeMb };
}

/** Connect `CLIENTS` forward WebSocket clients and count the message events each receives. */
async function connectClients(port: number): Promise<{ received: () => number; close: () => Promise<void> }> {
  let received = 0;
  const sockets = await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      const socket = new WebSocket(`ws://127.0.0.1:${port}/event`);
      socket.on('message', (data) => {
        // Cheap check: count message events without parsing every frame.
        if ((data as Buffer).includes('"post_type":"message"')) received += 1;
      });
      await once(socket, 'open');
      return socket;
    }),
  );
  return {
    received: () => received,
    async close() {
      await Promise.all(
        sockets.map(async (socket) => {
          socket.close();
          if (socket.readyState !== WebSocket.CLOSED) await once(socket, 'close');
        }),
      );
    },
  };
}

/** Emit EVENTS events in batches, waiting for every client to have the batch (bounded in flight). */
async function pump(emit: () => void, received: () => number): Promise<number> {
  const started = performance.now();
  for (let sent = 0; sent < EVENTS; sent += BATCH) {
    for (let i = 0; i < BATCH; i += 1) emit();
    const target = (sent + BATCH) * CLIENTS;
    while (received() < target) await new Promise((resolve) => setImmediate(resolve));
  }
  return EVENTS / ((performance.now() - started) / 1000);
}

async function benchFanOutDirect(): Promise<number> {
  const backend = createFakeBackend();
  const adapter = createWsServerAdapter(
    { name: 'direct', enable: true, host: '127.0.0.1', port: 0, heartInterval: 0 },
    backend.context('direct'),
  );
  await adapter.start();
  const port = Number(/:(\d+)$/.exec(adapter.status().address ?? '')?.[1]);
  const clients = await connectClients(port);
  const message = [{ type: 'text', data: { text: 'benchmark message' } }];
  const rate = await pump(
    () => void backend.emitMessage({ message_type: 'group', message }),
    clients.received,
  );
  await clients.close();
  await adapter.stop();
  backend.dispose();
  return rate;
}

async function benchFanOutGateway(): Promise<number> {
  const gateway = await startGateway({
    config: sandboxConfig({ websocketServers: [{ name: 'ws', enable: true, port: 0, heartInterval: 0 }] }),
  });
  const port = Number(/:(\d+)$/.exec(gateway.adapters()[0]!.address ?? '')?.[1]);
  const clients = await connectClients(port);
  const sandbox = gateway.backend() as unknown as {
    simulateMessage(input: Record<string, unknown>): unknown;
  };
  const rate = await pump(
    () =>
      void sandbox.simulateMessage({
        message_type: 'group',
        user_id: 10001,
        group_id: 20001,
        message: 'benchmark message',
      }),
    clients.received,
  );
  await clients.close();
  await gateway.stop();
  return rate;
}

async function main(): Promise<void> {
  const startup = await benchStartup();
  const rss = await benchIdleRss();
  // Alternate the two and keep each one's best round, so JIT warm-up favours neither.
  let direct = 0;
  let gateway = 0;
  for (let round = 0; round < 2; round += 1) {
    direct = Math.max(direct, await benchFanOutDirect());
    gateway = Math.max(gateway, await benchFanOutGateway());
  }
  const rows = [
    [
      'startup to healthy (median of 5)',
      `${startup.gatewayMs.toFixed(0)} ms`,
      `bare node start ${startup.nodeMs.toFixed(0)} ms`,
      `${(startup.gatewayMs / startup.nodeMs).toFixed(1)}x`,
    ],
    [
      'RSS 1 s after healthy, all six adapter kinds',
      `${rss.startedMb.toFixed(1)} MiB`,
      `idle bare node ${rss.nodeMb.toFixed(1)} MiB`,
      `${(rss.startedMb / rss.nodeMb).toFixed(1)}x`,
    ],
    [
      `idle RSS (${IDLE_AFTER_MS / 1000} s after healthy), all six adapter kinds`,
      `${rss.gatewayMb.toFixed(1)} MiB`,
      `idle bare node ${rss.nodeMb.toFixed(1)} MiB`,
      `${(rss.gatewayMb / rss.nodeMb).toFixed(1)}x`,
    ],
    [
      `events/s to ${CLIENTS} ws clients (${EVENTS} events)`,
      `${gateway.toFixed(0)} ev/s (${((gateway * CLIENTS) / 1000).toFixed(0)}k frames/s)`,
      `ws-server driven directly ${direct.toFixed(0)} ev/s`,
      `${(gateway / direct).toFixed(2)}`,
    ],
  ];
  process.stdout.write('| measure | gateway | baseline (same run) | ratio |\n|---|---|---|---|\n');
  for (const row of rows) process.stdout.write(`| ${row.join(' | ')} |\n`);
}

await main();
