#!/usr/bin/env node
/**
 * One origin, one NATS, two edges on this machine, with one command:
 *   pnpm build && node examples/nats-cluster/run.mjs
 * Needs nats-server on PATH (Debian: apt-get install nats-server; or set ONEBOT_NATS_SERVER).
 * Ctrl-C stops all four processes. JetStream's data stays in ./.nats-data.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '../../apps/gateway/dist/cli.js');
const children = [];

function start(name, command, args) {
  // Own process group: Ctrl-C reaches only this script, which then stops the four in order.
  const child = spawn(command, args, { cwd: here, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream.on('data', (chunk) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop();
      for (const line of lines) process.stdout.write(`[${name}] ${line}\n`);
    });
  }
  child.on('error', (error) => {
    console.error(`[${name}] could not start ${command}: ${error.message}`);
    void stop(1);
  });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[${name}] exited (${signal ?? code}); stopping the others`);
      void stop(1);
    }
  });
  children.push(child);
}

let stopping = false;
/** Edges first, then the origin (its bridge flushes what it can), then nats-server. */
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(code), 10_000).unref();
  for (const child of [...children].reverse()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  process.exit(code);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

start('nats', process.env.ONEBOT_NATS_SERVER ?? 'nats-server', ['-c', 'nats-server.conf']);
await wait(500);
start('origin', process.execPath, [cli, '--config', 'origin.json']);
await wait(1500);
start('edge-1', process.execPath, [cli, '--config', 'edge-1.json']);
start('edge-2', process.execPath, [cli, '--config', 'edge-2.json']);
console.log(`
  origin (sandbox)   admin http://127.0.0.1:6199   inject: POST /api/sandbox/messages
  edge 1             ws://127.0.0.1:3101  http://127.0.0.1:3100  sse http://127.0.0.1:3102/_events
  edge 2             ws://127.0.0.1:3201  http://127.0.0.1:3200  sse http://127.0.0.1:3202/_events
  Ctrl-C stops everything.
`);
