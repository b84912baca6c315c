import { request as httpRequest } from 'node:http';
import { connect as connectTcp, type Socket } from 'node:net';

export interface RawHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * A request with exactly these bytes and headers, where fetch would fix up
 * what a hostile client would not. A `transfer-encoding: chunked` header
 * sends the body chunked, without a content-length.
 */
export function sendRawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {},
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: options.method ?? 'POST', headers: options.headers ?? {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * One keep-alive TCP connection with a pipelined HTTP/1.1 response reader:
 * responses come out exactly as the server framed them, in order, so a test
 * can tell one answer per request from a missing or doubled one.
 */
export interface PipelinedConnection {
  socket: Socket;
  /** Start reading (the connection starts paused) and take the next response; rejects after `timeoutMs` or when the server closes first. */
  next(timeoutMs?: number): Promise<RawHttpResponse>;
  /** Bytes received that are not (yet) a whole response. */
  leftover(): number;
  closed: Promise<void>;
}

export async function openPipelinedConnection(url: string): Promise<PipelinedConnection> {
  const { hostname, port } = new URL(url);
  const socket = connectTcp(Number(port), hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  // Paused until the test reads: a client that never reads is just one that never calls next().
  socket.pause();
  const ready: RawHttpResponse[] = [];
  const waiters: Array<{ resolve: (response: RawHttpResponse) => void; reject: (error: Error) => void }> = [];
  let buffered: Buffer = Buffer.alloc(0);
  let ended = false;
  let failure: Error | undefined;

  function parse(): void {
    for (;;) {
      const headEnd = buffered.indexOf('\r\n\r\n');
      if (headEnd === -1) return;
      const lines = buffered.subarray(0, headEnd).toString('latin1').split('\r\n');
      const status = /^HTTP\/1\.1 (\d{3}) /.exec(lines[0] ?? '');
      const headers: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const length = Number(headers['content-length']);
      if (!status || !Number.isInteger(length)) {
        failure = new Error(`unparsable or unframed response: ${lines.join(' | ')}`);
        socket.destroy();
        return;
      }
      if (buffered.length < headEnd + 4 + length) return;
      const response = {
        status: Number(status[1]),
        headers,
        body: Buffer.from(buffered.subarray(headEnd + 4, headEnd + 4 + length)),
      };
      buffered = buffered.subarray(headEnd + 4 + length);
      const waiter = waiters.shift();
      if (waiter) waiter.resolve(response);
      else ready.push(response);
    }
  }

  socket.on('data', (chunk: Buffer) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    parse();
  });
  const closed = new Promise<void>((resolve) => {
    socket.once('close', () => {
      ended = true;
      for (const waiter of waiters.splice(0))
        waiter.reject(failure ?? new Error('the server closed the connection'));
      resolve();
    });
  });
  socket.on('error', () => {
    // reported through `closed` and next()
  });

  return {
    socket,
    closed,
    leftover: () => buffered.length,
    next(timeoutMs = 5000) {
      socket.resume();
      const response = ready.shift();
      if (response) return Promise.resolve(response);
      if (ended) return Promise.reject(failure ?? new Error('the server closed the connection'));
      return new Promise((resolve, reject) => {
        const waiter = {
          resolve: (value: RawHttpResponse) => {
            clearTimeout(timer);
            resolve(value);
          },
          reject: (error: Error) => {
            clearTimeout(timer);
            reject(error);
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`no HTTP response within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
  };
}
