import { once } from 'node:events';
import { connect, type Socket } from 'node:net';

/**
 * A TCP connection that never sends a byte and never closes its side: what a descriptor-exhaustion
 * attack opens by the hundred. It reads what it is sent. The caller destroys it after the test.
 */
export async function connectSilently(port: number): Promise<Socket> {
  const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  socket.on('error', () => undefined);
  socket.resume();
  await once(socket, 'connect');
  return socket;
}

/** Resolves when the server has ended or reset `socket`. */
export function closedByPeer(socket: Socket): Promise<void> {
  if (socket.destroyed || socket.readableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    socket.once('end', resolve);
    socket.once('close', resolve);
  });
}
