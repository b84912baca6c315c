import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/**
 * Event deliveries per second to 10 and 100 SSE streams: the adapter
 * against a raw node:http SSE server, in one run. Server and client each
 * run in their own process; this process only relays progress and times.
 */
const ROUNDS = 2;
const scenarios = [
  { streams: 10, events: Number(process.env.BENCH_EVENTS_10 ?? 30_000) },
  { streams: 100, events: Number(process.env.BENCH_EVENTS_100 ?? 6_000) },
];

type Message = { type: string; port?: number; received?: number };

function start(script: string, args: string[]): ChildProcess {
  return fork(fileURLToPath(new URL(script, import.meta.url)), args, { stdio: 'inherit' });
}

async function until(child: ChildProcess, type: string): Promise<Message> {
  for (;;) {
    const [message] = (await once(child, 'message')) as [Message];
    if (message.type === type) return message;
  }
}

async function deliveriesPerSecond(kind: string, streams: number, events: number): Promise<number> {
  const server = start('./server-process.ts', [kind]);
  const { port } = await until(server, 'ready');
  const client = start('./client-process.ts', [String(port), String(streams)]);
  await until(client, 'ready');
  client.on('message', (message: Message) => {
    if (message.type === 'progress') server.send(message);
  });
  let expected = 0;
  const run = async (count: number): Promise<number> => {
    expected += count;
    client.send({ type: 'expect', events: expected });
    const started = process.hrtime.bigint();
    server.send({ type: 'go', events: count });
    await until(client, 'done');
    return Number(process.hrtime.bigint() - started) / 1e9;
  };
  await run(Math.ceil(events / 5)); // warm-up
  const seconds = await run(events);
  client.send({ type: 'stop' });
  server.send({ type: 'stop' });
  await Promise.all([once(client, 'exit'), once(server, 'exit')]);
  return (events * streams) / seconds;
}

const rows = [
  ['streams', 'raw node:http deliveries/s', 'sse-server deliveries/s', 'ratio (target >= 0.8x)'],
  ['---:', '---:', '---:', '---:'],
];
for (const { streams, events } of scenarios) {
  let raw = 0;
  let adapter = 0;
  for (let round = 0; round < ROUNDS; round += 1) {
    raw = Math.max(raw, await deliveriesPerSecond('raw', streams, events));
    adapter = Math.max(adapter, await deliveriesPerSecond('adapter', streams, events));
  }
  rows.push([String(streams), raw.toFixed(0), adapter.toFixed(0), `${(adapter / raw).toFixed(2)}x`]);
}
process.stdout.write(
  `~400-byte group message events, best of ${ROUNDS} rounds, server and client in separate processes\n\n` +
    rows.map((row) => `| ${row.join(' | ')} |`).join('\n') +
    '\n',
);
