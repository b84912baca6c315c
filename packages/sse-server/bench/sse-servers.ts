import { createServer, type ServerResponse } from 'node:http';
import type { OneBotEvent } from '@onebot-gateway/core';
import { createFakeBackend } from '@onebot-gateway/testkit';
import { createSseServerAdapter } from '../src/index.js';

export type SseServerKind = 'raw' | 'adapter';

export interface BenchSseServer {
  port: number;
  streams(): number;
  /** Publish one ~400-byte group message event to every stream. */
  publish(index: number): void;
  stop(): Promise<void>;
}

const text = 'x'.repeat(170);

/** The same event the fake backend publishes, for the raw server to serialise itself. */
function groupMessage(index: number): OneBotEvent {
  return {
    time: Math.floor(Date.now() / 1000),
    self_id: 10001,
    post_type: 'message',
    message_type: 'group',
    sub_type: 'normal',
    message_id: index,
    user_id: 20002,
    group_id: 30003,
    anonymous: null,
    message: [{ type: 'text', data: { text } }],
    raw_message: text,
    font: 0,
    sender: { user_id: 20002, nickname: 'Alice' },
    message_format: 'array',
  };
}

/**
 * The baseline: node:http only. One JSON.stringify and one frame per event,
 * then the same bytes written to every stream.
 */
async function startRawSseServer(): Promise<BenchSseServer> {
  const streams = new Set<ServerResponse>();
  const server = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
    response.write(': connected\n\n');
    streams.add(response);
    request.on('close', () => streams.delete(response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    streams: () => streams.size,
    publish(index) {
      const frame = Buffer.from(`id: ${index}\ndata: ${JSON.stringify(groupMessage(index))}\n\n`);
      for (const stream of streams) stream.write(frame);
    },
    stop: () =>
      new Promise((resolve) => {
        for (const stream of streams) stream.destroy();
        server.close(() => resolve());
      }),
  };
}

async function startAdapterSseServer(): Promise<BenchSseServer> {
  const backend = createFakeBackend();
  const adapter = createSseServerAdapter({ port: 0, heartInterval: 0, ssePingInterval: 60_000, maxBufferedBytes: 256 * 1024 * 1024 }, backend.context('bench'));
  await adapter.start();
  const message = [{ type: 'text', data: { text } }];
  return {
    port: Number(adapter.status().address?.split(':').pop()),
    streams: () => adapter.streamCount(),
    publish(index) {
      backend.emitMessage({ message_type: 'group', message, message_id: index });
    },
    stop: () => adapter.stop(),
  };
}

export function startSseBenchServer(kind: SseServerKind): Promise<BenchSseServer> {
  return kind === 'raw' ? startRawSseServer() : startAdapterSseServer();
}
