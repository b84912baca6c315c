import { createRequire } from 'node:module';
import { Socket } from 'node:net';
import { dirname } from 'node:path';
import { ServerResponse } from 'node:http';
import fastifyWebsocket from '@fastify/websocket';
import {
  isServerSideWs,
  releaseUpgradeResponse,
  wsQueuedBytes,
  wsTransport,
} from '@onebot-gateway/core/internal';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

/**
 * The contract behind core's session/ws-internals.ts: the `ws` private
 * fields the fast frame path reads, checked on a real connection (server
 * side made by @fastify/websocket, as in the adapter; client side by `ws`).
 * When a `ws` upgrade renames or changes one of them, this fails and names
 * it: update ws-internals.ts, then the pinned `ws` range in ws-server and
 * ws-client. The fast path would silently switch itself off meanwhile
 * (correct, slower), which no other test would notice.
 */
const require = createRequire(import.meta.url);
const versionOf = (from: string) =>
  (require(require.resolve('ws/package.json', { paths: [from] })) as { version: string }).version;
// The server side's WebSocket comes from @fastify/websocket's own `ws` dependency.
const serverWsVersion = versionOf(dirname(require.resolve('@fastify/websocket')));
const clientWsVersion = versionOf(dirname(require.resolve('ws')));
const broken = (field: string, version: string) =>
  `ws ${version}: ${field} is not what core/src/session/ws-internals.ts reads; the fast frame path is off until it is updated`;

let app: FastifyInstance | undefined;
const clients: WebSocket[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.terminate();
  await app?.close();
  app = undefined;
});

/** A connection through @fastify/websocket: the server-side WebSocket (before anything releases it) and a client. */
async function connect(): Promise<{ server: WebSocket; client: WebSocket; messages: string[] }> {
  app = Fastify();
  await app.register(fastifyWebsocket, { options: { perMessageDeflate: false } });
  let accept!: (server: WebSocket) => void;
  const accepted = new Promise<WebSocket>((resolve) => (accept = resolve));
  app.get('/', { websocket: true }, (socket) => accept(socket));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  const client = new WebSocket(`ws://127.0.0.1:${port}/`, { perMessageDeflate: false });
  clients.push(client);
  const messages: string[] = [];
  client.on('message', (data, isBinary) => messages.push(`${isBinary ? 'binary' : 'text'}:${String(data)}`));
  await new Promise<void>((resolve, reject) => client.once('open', resolve).once('error', reject));
  return { server: await accepted, client, messages };
}

async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 5) {
    if (waited > 3000) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe(`ws private fields (server side: ws ${serverWsVersion}, client side: ws ${clientWsVersion})`, () => {
  it('tells the server side from the client side (_isServer)', async () => {
    const { server, client } = await connect();
    expect(isServerSideWs(server), broken('_isServer', serverWsVersion)).toBe(true);
    expect(isServerSideWs(client), broken('_isServer', clientWsVersion)).toBe(false);
  });

  it('reaches the net socket on both sides (_socket), and a frame written to it arrives as is', async () => {
    const { server, client, messages } = await connect();
    expect(wsTransport(server), broken('_socket', serverWsVersion)).toBeInstanceOf(Socket);
    expect(wsTransport(client), broken('_socket', clientWsVersion)).toBeInstanceOf(Socket);
    // What sendFrame does: an unmasked text frame (FIN + text opcode, 7-bit length) straight to the socket.
    const payload = Buffer.from('{"pre":"framed"}');
    wsTransport(server)!.write(Buffer.from([0x81, payload.length]));
    wsTransport(server)!.write(payload);
    server.send('after');
    await until(() => messages.length === 2);
    expect(messages).toEqual(['text:{"pre":"framed"}', 'text:after']);
  });

  it('counts the bytes ws queued behind a pending operation (_sender._bufferedBytes)', async () => {
    const { server, messages } = await connect();
    expect(wsQueuedBytes(server), broken('_sender._bufferedBytes', serverWsVersion)).toBe(0);
    // A Blob is read asynchronously; a frame sent meanwhile waits in ws's queue.
    server.send(new Blob(['blob']));
    server.send('queued');
    expect(wsQueuedBytes(server), broken('_sender._bufferedBytes', serverWsVersion)).toBeGreaterThan(0);
    await until(() => messages.length === 2);
    expect(messages).toEqual(['binary:blob', 'text:queued']);
    expect(wsQueuedBytes(server), broken('_sender._bufferedBytes', serverWsVersion)).toBe(0);
  });

  it('detaches the upgrade request’s ServerResponse from the socket (Node’s _httpMessage)', async () => {
    const { server, client, messages } = await connect();
    const socket = wsTransport(server) as unknown as { _httpMessage?: unknown };
    expect(socket._httpMessage, `@fastify/websocket no longer attaches a ServerResponse`).toBeInstanceOf(
      ServerResponse,
    );
    releaseUpgradeResponse(server);
    expect(socket._httpMessage, broken('_socket._httpMessage', process.version)).toBeNull();
    // The connection still works both ways after the release.
    server.send('still open');
    await until(() => messages.length === 1);
    expect(messages).toEqual(['text:still open']);
    const echoed = new Promise<string>((resolve) => server.once('message', (data) => resolve(String(data))));
    client.send('hello');
    expect(await echoed).toBe('hello');
  });
});
