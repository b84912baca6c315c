/** One Server-Sent Events frame: its `data` (joined), `id`, and whether it was only a comment (`: ping`). */
export interface SseFrame {
  data?: string;
  id?: string;
  comment?: string;
}

export interface SseReader {
  status: number;
  headers: Headers;
  frames: SseFrame[];
  /** The first frame (seen or future) matching; rejects when the stream ends first or after the timeout. */
  next(match: (frame: SseFrame) => boolean, timeoutMs?: number): Promise<SseFrame>;
  /** Resolves when the server ended the stream. */
  ended: Promise<void>;
  close(): void;
}

function parseFrame(block: string): SseFrame {
  const frame: SseFrame = {};
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) frame.comment = line.slice(1).trim();
    else if (line.startsWith('data: '))
      frame.data = frame.data === undefined ? line.slice(6) : `${frame.data}\n${line.slice(6)}`;
    else if (line.startsWith('id: ')) frame.id = line.slice(4);
  }
  return frame;
}

/** Open an SSE stream with fetch and read it as a browser's EventSource would (a real reader of the body stream). */
export async function openSse(url: string, init: RequestInit = {}): Promise<SseReader> {
  const controller = new AbortController();
  const response = await fetch(url, { ...init, signal: controller.signal });
  const frames: SseFrame[] = [];
  const waiters = new Set<() => void>();
  let done = false;
  const ended = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffered += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffered.indexOf('\n\n')) !== -1) {
          frames.push(parseFrame(buffered.slice(0, end)));
          buffered = buffered.slice(end + 2);
        }
        for (const wake of [...waiters]) wake();
      }
    } catch {
      // Aborted by close(), or cut by the server: both end the stream.
    } finally {
      done = true;
      for (const wake of [...waiters]) wake();
    }
  })();
  return {
    status: response.status,
    headers: response.headers,
    frames,
    ended,
    next(match, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `no matching SSE frame within ${timeoutMs} ms; got ${JSON.stringify(frames).slice(0, 2000)}`,
            ),
          );
        }, timeoutMs);
        function check(): void {
          const found = frames.find(match);
          if (found) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve(found);
          } else if (done) {
            clearTimeout(timer);
            waiters.delete(check);
            reject(
              new Error(
                `the stream ended without a matching frame; got ${JSON.stringify(frames).slice(0, 2000)}`,
              ),
            );
          }
        }
        waiters.add(check);
        check();
      });
    },
    close: () => controller.abort(),
  };
}

/** The JSON of a data frame, or undefined. */
export function dataOf(frame: SseFrame): Record<string, unknown> | undefined {
  if (frame.data === undefined) return undefined;
  try {
    return JSON.parse(frame.data) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
