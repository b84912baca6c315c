import WebSocket from 'ws';
import { createAsyncQueue } from './event-queue.js';
import type { AuthInput, CallOutcome, EventStream, Rejected } from './types.js';

/** The URL and headers a bot would use for `auth`. */
export function applyAuth(url: string, auth: AuthInput): { url: string; headers: Record<string, string> } {
  const target = new URL(url);
  if (auth.kind === 'query') target.searchParams.set('access_token', auth.token);
  return { url: target.toString(), headers: auth.kind === 'header' ? { Authorization: auth.value } : {} };
}

export interface BotSocket {
  ws: WebSocket;
  /** Every text frame received, parsed, in order. */
  next(timeoutMs?: number): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * Open a WebSocket as a bot framework would. A handshake the server refuses
 * resolves to `{ rejected, status }`; frames are queued from the first byte so
 * none is lost between open and the first `next()`.
 */
export function connectBotSocket(
  url: string,
  auth: AuthInput = { kind: 'none' },
  /** Extra client options, e.g. `{ ca }` for wss://, or `{ headers: { Origin } }`. */
  options: WebSocket.ClientOptions = {},
): Promise<BotSocket | Rejected> {
  const { url: target, headers } = applyAuth(url, auth);
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(target, {
      ...options,
      headers: { ...options.headers, ...headers },
      perMessageDeflate: false,
    });
    const frames = createAsyncQueue<Record<string, unknown>>();
    let settled = false;
    ws.on('message', (data, isBinary) => {
      try {
        frames.push(JSON.parse(data.toString()) as Record<string, unknown>);
      } catch {
        frames.push({ unparsable: true, binary: isBinary, text: data.toString() });
      }
    });
    ws.on('close', (code, reason) => frames.end(`socket closed (${code} ${reason.toString()})`));
    ws.on('error', (error) => {
      if (!settled) {
        settled = true;
        reject(error);
      }
    });
    ws.once('unexpected-response', (request, response) => {
      settled = true;
      response.resume();
      request.destroy();
      resolve({ rejected: true, status: response.statusCode ?? 0 });
    });
    ws.once('open', () => {
      settled = true;
      resolve({
        ws,
        next: (timeoutMs = 3000) => frames.next(timeoutMs, 'WebSocket frame'),
        close: () => closeSocket(ws),
      });
    });
  });
}

export function closeSocket(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => ws.terminate(), 1000);
    ws.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
    else ws.close(1000);
  });
}

/**
 * `callAction`/`openEvents` for any server speaking OneBot forward WebSocket
 * (ws-server, http-server with enableWebsocket). Each call opens an `/api`
 * connection with its own auth, sends the frame, waits for one answer.
 */
export function createWebSocketBotTarget(baseUrl: string, paths: { api?: string; events?: string } = {}) {
  const base = baseUrl.replace(/\/$/, '');
  const apiUrl = `${base}${paths.api ?? '/api'}`;
  const eventsUrl = `${base}${paths.events ?? '/event'}`;
  return {
    async callAction(body: string, auth: AuthInput): Promise<CallOutcome> {
      const socket = await connectBotSocket(apiUrl, auth);
      if ('rejected' in socket) return socket;
      try {
        socket.ws.send(body);
        // On a universal path, lifecycle and other events share the socket: the answer is the first non-event frame.
        for (;;) {
          const frame = await socket.next();
          if (typeof frame.post_type !== 'string') return { rejected: false, response: frame };
        }
      } finally {
        await socket.close();
      }
    },
    async openEvents(auth: AuthInput): Promise<EventStream | Rejected> {
      return connectBotSocket(eventsUrl, auth);
    },
  };
}
