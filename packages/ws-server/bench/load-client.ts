import WebSocket from 'ws';

/**
 * The load generator, forked by ws-bench.ts so it never shares the server's
 * event loop. Commands arrive over IPC; results go back over IPC.
 */
type Command =
  | { type: 'actions'; url: string; inFlight: number; warmupMs: number; durationMs: number; frame: string }
  | { type: 'fanout'; url: string; clients: number }
  | { type: 'idle'; url: string; clients: number }
  | { type: 'close' };

const sockets: WebSocket[] = [];

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

async function openMany(url: string, count: number): Promise<WebSocket[]> {
  const opened: WebSocket[] = [];
  // Open in small groups: 1000 simultaneous handshakes only measure the accept queue.
  for (let i = 0; i < count; i += 50) {
    opened.push(...(await Promise.all(Array.from({ length: Math.min(50, count - i) }, () => open(url)))));
  }
  sockets.push(...opened);
  return opened;
}

async function runActions(command: Extract<Command, { type: 'actions' }>): Promise<void> {
  const ws = await open(command.url);
  sockets.push(ws);
  let answered = 0;
  let counting = false;
  ws.on('message', () => {
    if (counting) answered += 1;
    ws.send(command.frame);
  });
  for (let i = 0; i < command.inFlight; i++) ws.send(command.frame);
  await new Promise((resolve) => setTimeout(resolve, command.warmupMs));
  counting = true;
  const started = process.hrtime.bigint();
  await new Promise((resolve) => setTimeout(resolve, command.durationMs));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  counting = false;
  process.send!({ type: 'actions-result', perSecond: answered / seconds });
  ws.removeAllListeners('message');
  ws.terminate();
}

async function runFanout(command: Extract<Command, { type: 'fanout' }>): Promise<void> {
  const clients = await openMany(command.url, command.clients);
  let received = 0;
  for (const ws of clients) {
    ws.on('message', () => {
      received += 1;
    });
  }
  // Progress reports let the server pace itself (a window of unacknowledged events), like TCP would.
  const timer = setInterval(() => process.send!({ type: 'progress', received }), 5);
  process.send!({ type: 'fanout-ready' });
  process.once('message', () => {
    clearInterval(timer);
  });
}

process.on('message', (command: Command) => {
  const run = async () => {
    if (command.type === 'actions') await runActions(command);
    else if (command.type === 'fanout') await runFanout(command);
    else if (command.type === 'idle') {
      await openMany(command.url, command.clients);
      process.send!({ type: 'idle-ready' });
    } else {
      for (const ws of sockets.splice(0)) ws.terminate();
      process.send!({ type: 'closed' });
    }
  };
  run().catch((error: unknown) => {
    process.send!({ type: 'error', message: String(error) });
  });
});
