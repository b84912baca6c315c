import { connect as tcpConnect, type Socket } from 'node:net';
import { createFakeBackend, retainedBytesAfterGc, runHttpBadInputCases } from '@onebot-gateway/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createSseServerAdapter } from '../src/index.js';
import { connect, startSseServer, stopAllSse, waitFor } from './helpers.js';

// The HTTP API and enableWebsocket upgrade come from http-server: the same bad input, the same answers.
runHttpBadInputCases({
  name: 'sse-server',
  async start(entry) {
    const backend = createFakeBackend();
    const adapter = createSseServerAdapter({ ...entry, port: 0 }, backend.context('sse-server'));
    await adapter.start();
    return {
      url: `http://${adapter.status().address}`,
      backend,
      stop: async () => {
        await adapter.stop();
        backend.dispose();
      },
    };
  },
});

const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await stopAllSse();
});

/** A client that opens `/_events`, takes the response head, then never reads another byte. */
async function openStalledStream(port: number): Promise<{ socket: Socket; closed: Promise<void> }> {
  const socket = tcpConnect(port, '127.0.0.1');
  sockets.push(socket);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => {
    // the server cuts it; `closed` reports that
  });
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(`GET /_events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n\r\n`);
  await new Promise((resolve) => socket.once('data', resolve));
  socket.pause();
  return { socket, closed };
}

describe('sse-server /_events clients that never read', () => {
  it('cuts each stalled stream at maxBufferedBytes, keeps memory bounded and the reading stream whole', async () => {
    const limit = 256 * 1024;
    const { url, port, backend, adapter } = await startSseServer({
      maxBufferedBytes: limit,
      sseReplayBufferSize: 4,
    });
    const fast = await connect(`${url}/_events`);
    await fast.next();
    const stalled = await Promise.all(Array.from({ length: 3 }, () => openStalledStream(port)));
    await waitFor(() => adapter.streamCount() === 4);

    const before = retainedBytesAfterGc();
    // About 128 KiB a frame (the text is in `message` and `raw_message`).
    const big = [{ type: 'text', data: { text: 'x'.repeat(64 * 1024) } }];
    let sent = 0;
    // Bounded: loopback's kernel buffers plus the limit are a few MiB per stream.
    while (adapter.streamCount() > 1 && sent < 500) {
      const event = backend.emitMessage({ message: big });
      sent += 1;
      expect((await fast.next()).json.message_id).toBe(event.message_id);
    }
    expect(adapter.streamCount()).toBe(1);
    const cuts = backend.logger.records.filter(
      (r) => r.level === 'warn' && r.msg.includes('stopped reading'),
    );
    expect(cuts).toHaveLength(3);
    // Cut at the bound: the write that passed the limit is the one that cut it.
    const frameBytes = 2 * 64 * 1024 + 4096;
    for (const cut of cuts) {
      expect(cut.obj.unsentBytes as number).toBeGreaterThan(limit);
      expect(cut.obj.unsentBytes as number).toBeLessThanOrEqual(limit + frameBytes);
    }
    expect(adapter.status().errors).toBe(3);
    // A cut stream is destroyed at once: what it held is released, not kept until the client reads.
    // Measured: 0.69 MB, mostly the replay buffer (4 frames of ~128 KiB). 1.5 MiB is about twice
    // that, and far below the ~4 MiB of frames each stalled stream would hold without the bound.
    const retained = retainedBytesAfterGc() - before;
    expect(retained, `retained ${retained} bytes`).toBeLessThan(1.5 * 1024 * 1024);

    // The stalled clients see the end once they read again; the reading stream still gets everything.
    for (const { socket } of stalled) socket.resume();
    await Promise.all(stalled.map(({ closed }) => closed));
    const after = backend.emitMessage();
    expect((await fast.next()).json.message_id).toBe(after.message_id);
  });
});
