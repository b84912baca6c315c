import { retainedBytesAfterGc, runHttpBadInputCases, startOnFreePort } from '@onebot-gateway/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createSseServerAdapter } from '../src/index.js';
import { connect, openStalledStream, startSseServer, stopAllSse, waitFor } from './helpers.js';

// The HTTP API and enableWebsocket upgrade come from http-server: the same bad input, the same answers.
runHttpBadInputCases({
  name: 'sse-server',
  start: startOnFreePort('sse-server', createSseServerAdapter),
});

afterEach(stopAllSse);

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
