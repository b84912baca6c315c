/**
 * Which HTTP client the adapter should post with: a bare loop on undici's
 * Pool against a bare loop on node:http's keep-alive Agent, same bodies,
 * same headers, same number of connections, same receiver, alternating which
 * goes first each round. Run: pnpm -F @onebot-gateway/http-client bench:clients
 */
import { once } from 'node:events';
import { fork } from 'node:child_process';
import { Agent, request } from 'node:http';
import { Pool } from 'undici';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const CONCURRENCY = 16;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);

interface Measure {
  rate: number;
  cpuMicros: number;
}

const body = Buffer.from(
  JSON.stringify({ post_type: 'message', message_type: 'group', raw_message: 'benchmark '.repeat(30) }),
);
const headers = { 'content-type': 'application/json', 'user-agent': 'OneBot/11 bench', 'x-self-id': '10001' };

/** Runs `post` EVENTS times on CONCURRENCY loops; events/s and this process's CPU µs per event. */
async function measure(post: () => Promise<void>): Promise<Measure> {
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < EVENTS) {
        next += 1;
        await post();
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  return { rate: EVENTS / seconds, cpuMicros: (cpu.user + cpu.system) / EVENTS };
}

async function undiciLoop(origin: string): Promise<Measure> {
  const pool = new Pool(origin, { connections: CONCURRENCY, pipelining: 1, keepAliveTimeout: 30_000 });
  const result = await measure(async () => {
    const response = await pool.request({ path: '/', method: 'POST', headers, body });
    await response.body.dump();
  });
  await pool.close();
  return result;
}

async function nodeHttpLoop(port: number): Promise<Measure> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY, scheduling: 'lifo' });
  const withLength = { ...headers, 'content-length': String(body.length) };
  const result = await measure(
    () =>
      new Promise<void>((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port, path: '/', method: 'POST', headers: withLength, agent },
          (response) => {
            response.on('end', resolve);
            response.resume();
          },
        );
        req.on('error', reject);
        req.end(body);
      }),
  );
  agent.destroy();
  return result;
}

const child = fork(new URL('./receiver-process.mjs', import.meta.url), { stdio: 'inherit' });
const [{ port }] = (await once(child, 'message')) as [{ port: number }];
const origin = `http://127.0.0.1:${port}`;
await undiciLoop(origin); // warm-up
await nodeHttpLoop(port);
const fmt = (m: Measure): string =>
  `${Math.round(m.rate).toLocaleString('en-US')} (${m.cpuMicros.toFixed(0)} µs)`;
console.log(`bare clients, ${EVENTS} POSTs per run, ${CONCURRENCY} connections, node ${process.version}`);
console.log('| run | undici Pool | node:http Agent | ratio |');
console.log('|---|---|---|---|');
const ratios: number[] = [];
for (let round = 1; round <= ROUNDS; round += 1) {
  const undiciFirst = round % 2 === 1;
  const first = undiciFirst ? await undiciLoop(origin) : await nodeHttpLoop(port);
  const second = undiciFirst ? await nodeHttpLoop(port) : await undiciLoop(origin);
  const [undici, nodeHttp] = undiciFirst ? [first, second] : [second, first];
  ratios.push(nodeHttp.rate / undici.rate);
  console.log(
    `| round ${round} | ${fmt(undici)} | ${fmt(nodeHttp)} | ${(nodeHttp.rate / undici.rate).toFixed(2)}x |`,
  );
}
const sorted = [...ratios].sort((a, b) => a - b);
console.log(`| median | | | ${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)}x |`);
child.send('close');
await once(child, 'exit');
