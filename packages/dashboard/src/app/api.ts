/** The admin API token: in sessionStorage (this tab only, gone when it closes), sent as a header, never in a URL. */
const TOKEN_KEY = 'onebot-gateway.admin-token';

let token = sessionStorage.getItem(TOKEN_KEY) ?? '';
const authListeners = new Set<() => void>();

export function setToken(value: string): void {
  token = value;
  if (value === '') sessionStorage.removeItem(TOKEN_KEY);
  else sessionStorage.setItem(TOKEN_KEY, value);
}

export function hasToken(): boolean {
  return token !== '';
}

/** Called when the API answers 401/403: the page shows the login. */
export function onAuthRequired(listener: () => void): () => void {
  authListeners.add(listener);
  return () => authListeners.delete(listener);
}

/**
 * A refused token is dropped at once, before the listeners run: a stale tab (the gateway restarted with a
 * new token) must not keep sending it, since every wrong token counts against this address's login limit
 * (10 a minute) and past it the address (curl and Prometheus too) gets 429. A missing token is not counted.
 */
function authRefused(sent: string): void {
  // An answer to a token replaced since (a new login while the request was out) says nothing of the new one.
  if (sent !== token) return;
  setToken('');
  for (const listener of authListeners) listener();
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
  }
}

function headers(extra: Record<string, string> = {}): Record<string, string> {
  return token === '' ? extra : { ...extra, authorization: `Bearer ${token}` };
}

/** fetch against the admin API; 401/403 also tell the login listeners. Answers the parsed JSON (or text). */
export async function api<T = unknown>(
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<T> {
  const sent = token;
  const response = await fetch(path, {
    method: init.method ?? 'GET',
    headers: headers(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  if (response.status === 401 || response.status === 403) authRefused(sent);
  // An action's answer is OneBot JSON whatever its status (400 for retcode 1400, ...): the Actions page shows it.
  if (!response.ok && !(path.startsWith('/api/actions/') && typeof body === 'object')) {
    const message =
      typeof body === 'object' && body !== null && 'error' in body
        ? String(body.error)
        : `HTTP ${response.status}`;
    throw new ApiError(response.status, message, body);
  }
  return body as T;
}

export interface Session {
  tokenRequired: boolean;
  authenticated: boolean;
  /** Set on 429: too many wrong tokens from this address. */
  error?: string;
}

/**
 * `GET /api/session` with `candidate` (or the kept token): whether a token is
 * needed and whether this one is right. It answers 200 either way, so the
 * expected "no token yet" is not a failed request in the browser's console.
 */
export async function checkSession(candidate = token): Promise<Session> {
  const response = await fetch('/api/session', {
    headers: candidate === '' ? {} : { authorization: `Bearer ${candidate}` },
  });
  const body = (await response.json().catch(() => ({}))) as Partial<Session> & { error?: string };
  if (response.status === 429)
    return { tokenRequired: true, authenticated: false, error: body.error ?? 'HTTP 429' };
  if (!response.ok) throw new ApiError(response.status, body.error ?? `HTTP ${response.status}`, body);
  return { tokenRequired: body.tokenRequired === true, authenticated: body.authenticated === true };
}

export interface StreamMessage {
  id?: string;
  data: string;
}

/**
 * A Server-Sent Events stream read with fetch, which (unlike EventSource) can
 * send the token as a header. Reconnects after a drop until `signal` aborts.
 */
export function openStream(
  path: string,
  onMessage: (message: StreamMessage) => void,
  signal: AbortSignal,
): void {
  const run = async (): Promise<void> => {
    while (!signal.aborted) {
      try {
        const sent = token;
        const response = await fetch(path, { headers: headers({ accept: 'text/event-stream' }), signal });
        if (response.status === 401 || response.status === 403) {
          authRefused(sent);
          return;
        }
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
        await readFrames(response.body, onMessage);
      } catch {
        if (signal.aborted) return;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  };
  void run();
}

async function readFrames(body: ReadableStream<Uint8Array>, onMessage: (message: StreamMessage) => void) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let pending = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    pending += decoder.decode(value, { stream: true });
    let end;
    while ((end = pending.indexOf('\n\n')) >= 0) {
      const frame = pending.slice(0, end);
      pending = pending.slice(end + 2);
      const message: StreamMessage = { data: '' };
      const data: string[] = [];
      for (const line of frame.split('\n')) {
        if (line.startsWith('data:')) data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
        else if (line.startsWith('id:')) message.id = line.slice(3).trim();
      }
      if (data.length === 0) continue;
      message.data = data.join('\n');
      onMessage(message);
    }
  }
}
