import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

/**
 * requests/s and p99 latency of POST /send_private_msg through the adapter,
 * against a raw node:http server doing the same JSON work, in one run.
 * Each server runs in its own forked process; autocannon runs here.
 */
const DURATION_S = Number(process.env.BENCH_DURATION ?? 4);
const WARMUP_S = 1;
const CONNECTIONS = 32;
// Short interleaved rounds, best of each: on a shared machine interference
// only ever slows a round down, so the best round is the least disturbed.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const body = JSON.stringify({
  user_id: '12345678',
  message: [{ type: 'text', data: { text: 'hello from the benchmark' } }],
});

interface Result {
  rps: number;
  p99: number;
  errors: number;
  /** Server CPU time (user + system) per request, in microseconds. */
  cpuPerRequest: number;
}

async function startServerProcess(kind: string): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(fileURLToPath(new URL('./server-process.ts', import.meta.url)), [kind], {
    stdio: 'inherit',
  });
  const [message] = (await once(child, 'message')) as [{ port: number }];
  return { child, port: message.port };
}

async function load(
  port: number,
  duration: number,
): Promise<Omit<Result, 'cpuPerRequest'> & { total: number }> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/send_private_msg`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections: CONNECTIONS,
    duration,
  });
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
    total: result.requests.total,
  };
}

async function measure(kind: string): Promise<Result> {
  const { child, port } = await startServerProcess(kind);
  await load(port, WARMUP_S);
  child.send('mark');
  const result = await load(port, DURATION_S);
  child.send('report');
  const [cpu] = (await once(child, 'message')) as [{ micros: number }];
  child.send('stop');
  await once(child, 'exit');
  return {
    rps: result.rps,
    p99: result.p99,
    errors: result.errors,
    cpuPerRequest: cpu.micros / Math.max(1, result.total),
  };
}

const results: Record<string, Result[]> = { raw: [], adapter: [] };
for (let round = 0; round < ROUNDS; round += 1) {
  for (const kind of ['raw', 'adapter']) results[kind]!.push(await measure(kind));
}
const best = (kind: string): Result => results[kind]!.reduce((a, b) => (b.rps > a.rps ? b : a));
const leastCpu = (kind: string): number => Math.min(...results[kind]!.map((r) => r.cpuPerRequest));
const raw = best('raw');
const adapter = best('adapter');
const rawCpu = leastCpu('raw');
const adapterCpu = leastCpu('adapter');
const rows = [
  ['server', 'requests/s', 'p99 (ms)', 'server CPU per request (us)', 'errors'],
  ['---', '---:', '---:', '---:', '---:'],
  ['raw node:http', raw.rps.toFixed(0), raw.p99.toFixed(1), rawCpu.toFixed(1), String(raw.errors)],
  [
    'http-server adapter',
    adapter.rps.toFixed(0),
    adapter.p99.toFixed(1),
    adapterCpu.toFixed(1),
    String(adapter.errors),
  ],
  [
    'ratio (adapter / raw)',
    `${(adapter.rps / raw.rps).toFixed(2)}x (target >= 0.8x)`,
    `${(adapter.p99 / raw.p99).toFixed(2)}x (target <= 1.5x)`,
    `${(rawCpu / adapterCpu).toFixed(2)}x the raw efficiency`,
    '',
  ],
];
process.stdout.write(
  `POST /send_private_msg, ${CONNECTIONS} connections, ${DURATION_S} s after ${WARMUP_S} s warm-up, best of ${ROUNDS} rounds\n\n` +
    rows.map((row) => `| ${row.join(' | ')} |`).join('\n') +
    '\n',
);
