import { fetch } from 'undici';

export interface SseMessage {
  /** The `id:` of the frame, or undefined when it had none. */
  id: string | undefined;
  data: string;
  json: Record<string, unknown>;
}

export interface SseConnection {
  status: number;
  headers: Headers;
  /** The next event, in order; rejects after `timeoutMs`. */
  next(timeoutMs?: number): Promise<SseMessage>;
  /** Events received so far and not yet taken by next(). */
  pending(): SseMessage[];
  comments: string[];
  /** The id the client would send as Last-Event-ID, per the EventSource rules. */
  lastEventId(): string;
  ended: Promise<void>;
  close(): void;
}

/**
 * A minimal EventSource over undici's streaming fetch: the line rules of the
 * WHATWG spec (fields, comments, blank-line dispatch, CRLF/LF, the last
 * event id kept across frames without an id).
 */
export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseConnection> {
  const abort = new AbortController();
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: abort.signal,
  });
  const queue: SseMessage[] = [];
  const waiters: Array<{ resolve: (message: SseMessage) => void; reject: (error: Error) => void }> = [];
  let streamEnded = false;
  const comments: string[] = [];
  let lastEventId = '';
  let data: string[] = [];
  let frameId: string | undefined;

  function dispatch(): void {
    if (data.length === 0) {
      frameId = undefined;
      return;
    }
    const text = data.join('\n');
    const message: SseMessage = {
      id: frameId,
      data: text,
      json: JSON.parse(text) as Record<string, unknown>,
    };
    data = [];
    frameId = undefined;
    const waiter = waiters.shift();
    if (waiter) waiter.resolve(message);
    else queue.push(message);
  }

  function line(text: string): void {
    if (text === '') return dispatch();
    if (text.startsWith(':')) {
      comments.push(text.slice(1).trim());
      return;
    }
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'id' && !value.includes('\0')) {
      frameId = value;
      lastEventId = value;
    }
  }

  const ended = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for await (const chunk of response.body) {
        buffered += decoder.decode(chunk as Uint8Array, { stream: true });
        let newline: number;
        while ((newline = buffered.search(/\r\n|\n|\r/)) !== -1) {
          const width = buffered.startsWith('\r\n', newline) ? 2 : 1;
          line(buffered.slice(0, newline));
          buffered = buffered.slice(newline + width);
        }
      }
    } catch {
      // aborted by close() or the server cut the stream
    }
    // Like an EventSource's error event: whoever waits for a message learns the stream is gone.
    streamEnded = true;
    for (const waiter of waiters.splice(0)) waiter.reject(new Error('the SSE stream ended'));
  })();

  return {
    status: response.status,
    headers: response.headers as unknown as Headers,
    comments,
    ended,
    lastEventId: () => lastEventId,
    pending: () => queue,
    next(timeoutMs = 3000) {
      const ready = queue.shift();
      if (ready) return Promise.resolve(ready);
      if (streamEnded) return Promise.reject(new Error('the SSE stream ended'));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`no SSE event within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter = {
          resolve: (message: SseMessage) => {
            clearTimeout(timer);
            resolve(message);
          },
          reject: (error: Error) => {
            clearTimeout(timer);
            reject(error);
          },
        };
        waiters.push(waiter);
      });
    },
    close: () => abort.abort(),
  };
}
