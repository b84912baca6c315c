import { startBenchServer, type ServerKind } from './bench-servers.js';

// Runs in a forked process so the load generator never shares a CPU with the server it measures.
const kind = process.argv[2] as ServerKind;
const server = await startBenchServer(kind);
process.send!({ port: server.port });
process.on('message', (message) => {
  if (message === 'stop') void server.stop().then(() => process.exit(0));
});
