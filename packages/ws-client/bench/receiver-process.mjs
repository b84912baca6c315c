// A bare `ws` server in its own process, so the measured process (and its
// CPU time) is the sender only. Counts frames; tells the parent when a run's
// expected count is reached.
import { WebSocketServer } from 'ws';

let received = 0;
let expected = Infinity;
const server = new WebSocketServer({
  host: '127.0.0.1',
  port: 0,
  perMessageDeflate: false,
  maxPayload: 64 * 1024 * 1024,
});
server.on('connection', (ws) => {
  ws.on('message', () => {
    received += 1;
    if (received === expected) process.send({ done: received });
  });
  ws.on('error', () => {});
});
server.on('listening', () => process.send({ port: server.address().port }));
process.on('message', (message) => {
  if (message.expect !== undefined) {
    received = 0;
    expected = message.expect;
    process.send({ ready: true });
  }
  if (message === 'close') {
    for (const client of server.clients) client.terminate();
    server.close(() => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));
