import { createServer, type ServerResponse } from 'node:http';
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
const message = [{ type: 'text', data: { text } }];

/**
 * The baseline: node:http only, fed by the same fake backend's event bus so
 * both servers pay the same event-creation cost and the ratio measures the
 * transport. It serialises the event itself (one JSON.stringify and one
 * frame per event) and writes the same bytes to every stream.
 */
async function startRawSseServer(): Promise<BenchSseServer> {
  const backend = createFakeBackend();
  const streams = new Set<ServerResponse>();
  let id = 0;
  backend.bus.subscribe({ format: 'array', reportSelfMessage: false }, ({ event }) => {
    id += 1;
    const frame = Buffer.from(`id: ${id}\ndata: ${JSON.stringify(event)}\n\n`);
    for (const stream of streams) stream.write(frame);
  });
  const server = createServer((request, response) => {
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
    });
    response.write(': connected\n\n');
    streams.add(response);
    request.on('close', () => streams.delete(response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    streams: () => streams.size,
    publish(index) {
      backend.emitMessage({ message_type: 'group', message, message_id: index });
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
  const adapter = createSseServerAdapter(
    { port: 0, heartInterval: 0, ssePingInterval: 60_000, maxBufferedBytes: 256 * 1024 * 1024 },
    backend.context('bench'),
  );
  await adapter.start();
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
