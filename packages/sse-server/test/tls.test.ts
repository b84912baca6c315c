import type { IncomingMessage } from 'node:http';
import { request } from 'node:https';
import {
  createFakeBackend,
  fingerprintOf,
  httpsRequest,
  tlsFixtures,
  trustedTestCas,
} from '@onebot-gateway/testkit';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createSseServerAdapter, type SseServerAdapter } from '../src/index.js';

// Protocol.md "TLS": sse-server builds on http-server, so `tls` serves the
// API and the /_events stream on https:// (EventSource on an https page).

const backend = createFakeBackend();
const adapters: SseServerAdapter[] = [];
const responses: IncomingMessage[] = [];

afterEach(async () => {
  for (const response of responses.splice(0)) response.destroy();
  await Promise.all(adapters.splice(0).map((adapter) => adapter.stop()));
});

afterAll(() => backend.dispose());

/** Absolute paths: no baseDir needed. */
async function start(): Promise<SseServerAdapter> {
  const adapter = createSseServerAdapter(
    { name: 'sse-tls', port: 0, tls: { cert: tlsFixtures.caSigned.cert, key: tlsFixtures.caSigned.key } },
    backend.context('sse-tls'),
  );
  adapters.push(adapter);
  await adapter.start();
  return adapter;
}

/** Open /_events over https and hand back each `data:` payload as it arrives. */
function openStream(port: number): Promise<{ response: IncomingMessage; nextEvent(): Promise<unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `https://127.0.0.1:${port}/_events`,
      { ca: trustedTestCas(), headers: { accept: 'text/event-stream' }, agent: false },
      (response) => {
        responses.push(response);
        let buffered = '';
        const ready: unknown[] = [];
        let wake: (() => void) | undefined;
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          buffered += chunk;
          let end: number;
          while ((end = buffered.indexOf('\n\n')) !== -1) {
            const block = buffered.slice(0, end);
            buffered = buffered.slice(end + 2);
            const data = block.split('\n').find((line) => line.startsWith('data: '));
            if (data) ready.push(JSON.parse(data.slice('data: '.length)));
          }
          wake?.();
        });
        resolve({
          response,
          async nextEvent() {
            while (ready.length === 0) await new Promise<void>((done) => (wake = done));
            return ready.shift();
          },
        });
      },
    );
    req.once('error', reject);
    req.end();
  });
}

describe('sse-server over TLS', () => {
  it('streams events on https:// and answers the API on the same TLS port', async () => {
    const adapter = await start();
    const port = Number(adapter.status().address?.split(':').pop());
    const stream = await openStream(port);
    expect(stream.response.statusCode).toBe(200);
    expect(stream.response.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(await stream.nextEvent()).toMatchObject({ meta_event_type: 'lifecycle', sub_type: 'connect' });
    backend.emitMessage();
    expect(await stream.nextEvent()).toMatchObject({ post_type: 'message' });

    const reply = await httpsRequest(`https://127.0.0.1:${port}/get_status`);
    expect(JSON.parse(reply.text)).toMatchObject({ retcode: 0 });
    expect(reply.fingerprint).toBe(fingerprintOf(tlsFixtures.caSigned.cert));
  });
});
