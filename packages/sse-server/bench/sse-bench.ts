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

type Message = { type: string; port?: number; received?: number; [key: string]: unknown };

interface Child {
  process: ChildProcess;
  /** The next message of `type`; every message is kept, so none is missed between awaits. */
  until(type: string): Promise<Message>;
}

function start(script: string, args: string[]): Child {
  const child = fork(fileURLToPath(new URL(script, import.meta.url)), args, { stdio: 'inherit' });
  const inbox: Message[] = [];
  const waiters: Array<{ type: string; resolve: (message: Message) => void }> = [];
  child.on('message', (message: Message) => {
    const index = waiters.findIndex((waiter) => waiter.type === message.type);
    if (index !== -1) waiters.splice(index, 1)[0]!.resolve(message);
    else if (message.type !== 'progress') inbox.push(message);
  });
  return {
    process: child,
    until(type) {
      const index = inbox.findIndex((message) => message.type === type);
      if (index !== -1) return Promise.resolve(inbox.splice(index, 1)[0]!);
      return new Promise((resolve) => waiters.push({ type, resolve }));
    },
  };
}

async function deliveriesPerSecond(kind: string, streams: number, events: number): Promise<number> {
  const server = start('./server-process.ts', [kind]);
  const { port } = await server.until('ready');
  const client = start('./client-process.ts', [String(port), String(streams)]);
  await client.until('ready');
  client.process.on('message', (message: Message) => {
    if (message.type === 'progress') server.process.send(message);
  });
  let expected = 0;
  const run = async (count: number): Promise<number> => {
    expected += count;
    client.process.send({ type: 'expect', events: expected });
    const started = process.hrtime.bigint();
    server.process.send({ type: 'go', events: count });
    // A stalled run reports where it stalled instead of hanging the command.
    const watchdog = setTimeout(() => {
      server.process.send({ type: 'state' });
      client.process.send({ type: 'state' });
      void Promise.all([server.until('state'), client.until('state')]).then(([s, c]) => {
        process.stderr.write(`stalled: server ${JSON.stringify(s)} client ${JSON.stringify(c)}\n`);
        process.exit(1);
      });
    }, 60_000);
    await client.until('done');
    clearTimeout(watchdog);
    return Number(process.hrtime.bigint() - started) / 1e9;
  };
  await run(Math.ceil(events / 5)); // warm-up
  const seconds = await run(events);
  client.process.send({ type: 'stop' });
  server.process.send({ type: 'stop' });
  await Promise.all([once(client.process, 'exit'), once(server.process, 'exit')]);
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
