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
  const child = spawn(command, args, { cwd: here, stdio: ['ignore', 'pipe', 'pipe'] });
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
    stop(1);
  });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[${name}] exited (${signal ?? code}); stopping the others`);
      stop(1);
    }
  });
  children.push(child);
}

let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children.reverse()) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 3000).unref();
}
process.on('SIGINT', () => stop());
process.on('SIGTERM', () => stop());

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
