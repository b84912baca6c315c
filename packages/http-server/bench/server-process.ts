import { startBenchServer, type ServerKind } from './bench-servers.js';

// Runs in a forked process so the load generator never shares a CPU with the
// server it measures. Reports the CPU time it used between 'mark' and
// 'report': CPU per request is far less disturbed by other jobs on a shared
// machine than requests per second.
const kind = process.argv[2] as ServerKind;
const server = await startBenchServer(kind);
let mark = process.cpuUsage();
process.send!({ type: 'ready', port: server.port });
process.on('message', (message: string) => {
  if (message === 'mark') {
    mark = process.cpuUsage();
  } else if (message === 'report') {
    const used = process.cpuUsage(mark);
    process.send!({ type: 'cpu', micros: used.user + used.system });
  } else if (message === 'stop') {
    void server.stop().then(() => process.exit(0));
  }
});
