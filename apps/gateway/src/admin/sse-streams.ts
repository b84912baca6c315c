import type { ServerResponse } from 'node:http';
import type { Logger } from '@onebot-gateway/core';
import { PING_FRAME } from '@onebot-gateway/sse-server';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Unsent bytes after which an admin stream (events, logs) is cut: a dashboard that stopped reading. */
export const ADMIN_STREAM_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** `: ping` comment interval: keeps proxies and browsers from closing a quiet stream. */
export const ADMIN_STREAM_PING_MS = 15_000;

export interface AdminStream {
  /** Queue one SSE frame; false (and nothing written) once the stream is closed or was just cut. */
  write(frame: Buffer | string): boolean;
  readonly closed: boolean;
}

export interface AdminStreamSet {
  /**
   * Take over the reply as an event stream. `onOpen` writes what comes first
   * (a backlog) and returns the cleanup (unsubscribe) run once when the
   * stream ends, whoever ends it.
   */
  open(request: FastifyRequest, reply: FastifyReply, onOpen: (stream: AdminStream) => () => void): void;
  size(): number;
}

const streamHeaders = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
};

export interface AdminStreamOptions {
  /** For log lines: `events` or `logs`. */
  what: string;
  logger: Logger;
  maxBufferedBytes?: number;
  pingIntervalMs?: number;
}

/**
 * The open streams of one admin route. Same bound as sse-server's streams:
 * what a client has not read stays in its response's buffer, and past
 * `maxBufferedBytes` the stream is destroyed, so a stalled browser tab costs
 * at most that much memory and never delays a delivery to the bots (writes
 * never wait). Every stream is ended when the admin API closes.
 */
export function createAdminStreamSet(app: FastifyInstance, options: AdminStreamOptions): AdminStreamSet {
  const maxBufferedBytes = options.maxBufferedBytes ?? ADMIN_STREAM_MAX_BUFFERED_BYTES;
  const pingIntervalMs = options.pingIntervalMs ?? ADMIN_STREAM_PING_MS;
  const ends = new Set<() => void>();

  // preClose: before the server waits for connections to finish, which a stream never does by itself.
  app.addHook('preClose', async () => {
    for (const end of [...ends]) end();
  });

  return {
    open(request, reply, onOpen) {
      // fastify answers HEAD with the GET handler: the headers are the answer, no stream is held.
      if (request.method === 'HEAD') {
        void reply.code(200).headers(streamHeaders).send();
        return;
      }
      reply.hijack();
      const response: ServerResponse = reply.raw;
      response.socket?.setNoDelay(true);
      response.writeHead(200, streamHeaders);
      // Now, not with the first event: a client (EventSource, fetch) only sees the stream open on the headers.
      response.flushHeaders();
      let closed = false;
      let cleanup: (() => void) | undefined;

      function finish(): void {
        if (closed) return;
        closed = true;
        clearInterval(pingTimer);
        ends.delete(endGracefully);
        cleanup?.();
      }

      function endGracefully(): void {
        finish();
        // A reader gets the end of the stream; one that is not reading would hold the close: cut it.
        response.end(() => response.destroy());
        if (response.writableLength > 0) response.destroy();
      }

      const stream: AdminStream = {
        write(frame) {
          if (closed) return false;
          response.write(frame);
          const unsent = response.writableLength;
          if (unsent <= maxBufferedBytes) return true;
          finish();
          response.destroy();
          options.logger.warn(
            { remote: request.ip, unsentBytes: unsent, limit: maxBufferedBytes, stream: options.what },
            `closed an admin ${options.what} stream that stopped reading (unsent data passed ${maxBufferedBytes} bytes)`,
          );
          return false;
        },
        get closed() {
          return closed;
        },
      };

      const pingTimer = setInterval(() => stream.write(PING_FRAME), pingIntervalMs);
      pingTimer.unref();
      ends.add(endGracefully);
      response.once('close', finish);
      const unsubscribe = onOpen(stream);
      // The backlog alone may have cut it.
      if (closed) unsubscribe();
      else cleanup = unsubscribe;
    },
    size: () => ends.size,
  };
}
