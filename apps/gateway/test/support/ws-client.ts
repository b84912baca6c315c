import { once } from 'node:events';
import WebSocket from 'ws';

export interface TestWsClient {
  socket: WebSocket;
  /** Every frame received, parsed. */
  frames: Array<Record<string, unknown>>;
  /** Resolves with the first frame (already received or future) matching. */
  next(
    match: (frame: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  call(action: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
  closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

let echoSequence = 0;

export async function connectWs(
  url: string,
  headers: Record<string, string> = {},
  /** More client options, e.g. `{ ca }` for wss://. */
  options: WebSocket.ClientOptions = {},
): Promise<TestWsClient> {
  const socket = new WebSocket(url, { ...options, headers });
  const frames: Array<Record<string, unknown>> = [];
  const waiters: Array<{
    match: (f: Record<string, unknown>) => boolean;
    resolve: (f: Record<string, unknown>) => void;
  }> = [];
  socket.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as Record<string, unknown>;
    frames.push(frame);
    for (const waiter of [...waiters]) {
      if (waiter.match(frame)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(frame);
      }
    }
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await once(socket, 'open');

  function next(
    match: (frame: Record<string, unknown>) => boolean,
    timeoutMs = 5_000,
  ): Promise<Record<string, unknown>> {
    const seen = frames.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(frames)}`)),
        timeoutMs,
      );
      waiters.push({
        match,
        resolve: (frame) => {
          clearTimeout(timer);
          resolve(frame);
        },
      });
    });
  }

  return {
    socket,
    frames,
    next,
    call(action, params = {}) {
      const echo = `test-${++echoSequence}`;
      socket.send(JSON.stringify({ action, params, echo }));
      return next((frame) => frame.echo === echo);
    },
    closed,
    async close() {
      if (socket.readyState === WebSocket.CLOSED) return;
      socket.close();
      await closed;
    },
  };
}
