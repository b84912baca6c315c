import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createRecordingLogger } from '@onebot-gateway/testkit';
import { openSse, type SseReader } from '../../test/support/sse-reader.js';
import { createAdminStreamSet } from './sse-streams.js';

describe('admin stream set', () => {
  // undici's fetch may leave a spare connection that never sends a request; without this,
  // close() would wait for the server's headers timeout on it (nothing to do with the streams).
  const app = Fastify({ forceCloseConnections: true });
  let reader: SseReader | undefined;
  afterEach(async () => {
    reader?.close();
    await app.close();
  });

  it('keeps a quiet stream open with ": ping" comments and runs the cleanup once when the client goes', async () => {
    const streams = createAdminStreamSet(app, {
      what: 'test',
      logger: createRecordingLogger(),
      pingIntervalMs: 20,
    });
    let cleanups = 0;
    app.get('/s', async (request, reply) => {
      streams.open(request, reply, (stream) => {
        stream.write('data: first\n\n');
        return () => (cleanups += 1);
      });
      return reply;
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };
    reader = await openSse(`http://127.0.0.1:${port}/s`);
    await reader.next((frame) => frame.data === 'first');
    await reader.next((frame) => frame.comment === 'ping');
    expect(streams.size()).toBe(1);
    reader.close();
    await reader.ended;
    for (let i = 0; streams.size() > 0 && i < 100; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(streams.size()).toBe(0);
    expect(cleanups).toBe(1);

    // HEAD gets the stream's headers and an end, not a stream held open.
    const head = await fetch(`http://127.0.0.1:${port}/s`, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-type')]).toEqual([
      200,
      'text/event-stream; charset=utf-8',
    ]);
    expect(streams.size()).toBe(0);
  });
});
