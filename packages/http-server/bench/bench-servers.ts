import { createServer, type Server } from 'node:http';
import type { AdapterContext } from '@onebot-gateway/core';
import { createFakeBackend } from '@onebot-gateway/testkit';
import { createHttpServerAdapter } from '../src/index.js';

export type ServerKind = 'raw' | 'adapter';

/** The stub backend both servers call: the standard send_private_msg schema, an answer without bookkeeping. */
export function createStubContext(): AdapterContext {
  const backend = createFakeBackend();
  backend.router.register('send_private_msg', () => ({ message_id: 1 }));
  return backend.context('bench');
}

/**
 * The baseline: only node:http, doing the same JSON work per request (read
 * the body, JSON.parse, the same router call, JSON.stringify the answer).
 */
function startRawServer(context: AdapterContext): Promise<Server> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const action = (request.url ?? '/').slice(1).split('?')[0]!;
      const params = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      void context.callAction({ action, params }).then((answer) => {
        const body = JSON.stringify(answer);
        response.writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(body),
        });
        response.end(body);
      });
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Start one server; resolves with its port and a stop function. */
export async function startBenchServer(kind: ServerKind): Promise<{ port: number; stop(): Promise<void> }> {
  const context = createStubContext();
  if (kind === 'raw') {
    const server = await startRawServer(context);
    return {
      port: (server.address() as { port: number }).port,
      stop: () => new Promise((resolve) => server.close(() => resolve())),
    };
  }
  const adapter = createHttpServerAdapter({ port: 0, enableCors: true }, context);
  await adapter.start();
  return { port: Number(adapter.status().address?.split(':').pop()), stop: () => adapter.stop() };
}
