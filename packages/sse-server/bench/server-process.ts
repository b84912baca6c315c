import { startSseBenchServer, type SseServerKind } from './sse-servers.js';

/**
 * The server side of the benchmark, in its own process. It publishes when
 * told to, keeping at most WINDOW events ahead of the slowest stream (the
 * client reports progress), so neither server is measured filling buffers.
 */
const WINDOW = 2000;
const BATCH = 50;
const server = await startSseBenchServer(process.argv[2] as SseServerKind);
let acknowledged = 0;
let published = 0;
let total = 0;

function pump(): void {
  let sent = 0;
  while (published < total && published - acknowledged < WINDOW && sent < BATCH) {
    published += 1;
    sent += 1;
    server.publish(published);
  }
  if (published < total && published - acknowledged < WINDOW) setImmediate(pump);
}

process.on('message', (message: { type: string; events?: number; received?: number }) => {
  if (message.type === 'go') {
    // Cumulative, like the client's counts.
    total += message.events!;
    pump();
  } else if (message.type === 'progress') {
    const wasBlocked = published - acknowledged >= WINDOW;
    acknowledged = message.received!;
    if (wasBlocked) pump();
  } else if (message.type === 'state') {
    process.send!({ type: 'state', published, acknowledged, total, streams: server.streams() });
  } else if (message.type === 'stop') {
    void server.stop().then(() => process.exit(0));
  }
});
process.send!({ type: 'ready', port: server.port });
