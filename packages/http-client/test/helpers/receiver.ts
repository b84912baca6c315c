import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  json: Record<string, unknown>;
}

export type ReceiverHandler = (
  request: ReceivedRequest,
  response: ServerResponse,
  raw: IncomingMessage,
) => void;

export interface Receiver {
  url: string;
  port: number;
  server: Server;
  requests: ReceivedRequest[];
  /** Resolves once `predicate` holds for the requests so far (checked on every request). */
  until(predicate: (requests: ReceivedRequest[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

function parse(body: Buffer): Record<string, unknown> {
  try {
    return JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** A real node:http endpoint on port 0 that records every POST; answers 204 unless `handler` says otherwise. */
export async function startReceiver(handler?: ReceiverHandler): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  let waiters: Array<() => void> = [];
  const server = createServer((raw, response) => {
    const chunks: Buffer[] = [];
    raw.on('data', (chunk: Buffer) => chunks.push(chunk));
    raw.on('end', () => {
      const body = Buffer.concat(chunks);
      const request = {
        method: raw.method ?? '',
        url: raw.url ?? '',
        headers: raw.headers,
        body,
        json: parse(body),
      };
      requests.push(request);
      for (const waiter of waiters) waiter();
      if (handler) handler(request, response, raw);
      else response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/onebot`,
    port,
    server,
    requests,
    until(predicate, timeoutMs = 5000) {
      if (predicate(requests)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (!predicate(requests)) return;
          clearTimeout(timer);
          waiters = waiters.filter((w) => w !== check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== check);
          reject(
            new Error(
              `receiver: condition not met within ${timeoutMs} ms (${requests.length} requests so far)`,
            ),
          );
        }, timeoutMs);
        waiters.push(check);
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export { waitUntil } from '@onebot-gateway/testkit';

export const isMessage = (r: ReceivedRequest): boolean =>
  r.json.post_type === 'message' || r.json.post_type === 'message_sent';
export const isLifecycle =
  (sub: string) =>
  (r: ReceivedRequest): boolean =>
    r.json.meta_event_type === 'lifecycle' && r.json.sub_type === sub;
