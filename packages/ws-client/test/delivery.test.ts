import type { Socket } from 'node:net';
import WebSocket from 'ws';
import { describe, expect, it, vi } from 'vitest';
import type { FakeBackend } from '@onebot-gateway/testkit';
import { isLifecycleConnect, isMessage, waitUntil, type BotConnection } from './helpers/bot-server.js';
import { useTestScope } from './helpers/test-scope.js';

const { cleanups, botServer, backend, adapterFor } = useTestScope();

/** Publishes message_id 1, 2, 3, ... on demand and every `everyMs` until stopped. */
function publisher(b: FakeBackend, everyMs: number): { publish(): void; stop(): number } {
  let next = 1;
  const publish = (): void => {
    b.emitMessage({ message_id: next });
    next += 1;
  };
  const timer = setInterval(publish, everyMs);
  cleanups.push(() => clearInterval(timer));
  return {
    publish,
    stop() {
      clearInterval(timer);
      return next - 1;
    },
  };
}

const messageIds = (frames: Array<Record<string, unknown>>): number[] =>
  frames.filter(isMessage).map((f) => f.message_id as number);
const oneTo = (last: number): number[] => Array.from({ length: last }, (_, i) => i + 1);

/** The events a connection received after its lifecycle connect (which must be its first frame). */
function eventsAfterConnect(connection: BotConnection): number[] {
  expect(isLifecycleConnect(connection.frames[0]!)).toBe(true);
  return messageIds(connection.frames.slice(1));
}

describe('ws-client: the session ends the connection itself', () => {
  it('a server that does not answer pings is terminated within about two heartIntervals and reconnected; no event is lost', async () => {
    const heartInterval = 500;
    let accepted = 0;
    const pings: number[] = [];
    const server = await botServer({
      autoPong: false,
      onConnection: (connection) => {
        accepted += 1;
        const index = accepted - 1;
        pings[index] = 0;
        connection.ws.on('ping', (data) => {
          pings[index] = (pings[index] ?? 0) + 1;
          // Only the first connection ignores pings, so the test ends on a healthy one.
          if (index > 0) connection.ws.pong(data);
        });
      },
    });
    const b = backend();
    const events = publisher(b, 2);
    // Publish right after the session's terminate and dispose, before ws reports the close: the
    // window in which events used to go nowhere (the session had left the bus, the buffer not yet joined).
    const terminate = WebSocket.prototype.terminate;
    let terminatedAt = 0;
    const spy = vi.spyOn(WebSocket.prototype, 'terminate').mockImplementation(function (this: WebSocket) {
      terminatedAt ||= Date.now();
      terminate.call(this);
      process.nextTick(() => events.publish());
    });
    cleanups.push(() => spy.mockRestore());
    const adapter = adapterFor(b, { url: server.url, heartInterval });
    await adapter.start();
    const openedAt = Date.now();

    await waitUntil(() => terminatedAt > 0, 'the terminate', 5000);
    expect(adapter.status().connections).toBe(0);
    const waited = terminatedAt - openedAt;
    // Two pings went unanswered, then the third tick terminates.
    expect(pings[0]).toBeGreaterThanOrEqual(2);
    expect(waited).toBeGreaterThanOrEqual(2 * heartInterval - 5);
    // Upper bound with room for a busy CI machine's late timers, still well short of a fourth interval.
    expect(waited).toBeLessThan(3 * heartInterval + 600);
    await waitUntil(
      () => server.connections.length === 2 && adapter.status().connections === 1,
      'the reconnect',
    );
    expect(Date.now() - terminatedAt).toBeLessThan(3000);
    expect(server.connections[0]!.closeCode).toBe(1006);
    spy.mockRestore();

    // A few live events on the new connection, then every event must be there.
    const liveFrom = events.stop() + 1;
    for (let i = 0; i < 3; i += 1) events.publish();
    const last = events.stop();
    await waitUntil(() => messageIds(server.connections[1]!.frames).includes(last), 'the last event');
    expect(liveFrom).toBeGreaterThan(1);
    // The first connection never confirmed anything (no pong), so all of it is sent again, once, in order.
    expect(eventsAfterConnect(server.connections[1]!)).toEqual(oneTo(last));
    expect(adapter.status()).toMatchObject({ dropped: 0, buffered: 0, connects: 2, eventsSent: last });
  });

  it('a server that stops reading is cut (1013); events published while the socket closes reach the next connection', async () => {
    let accepted = 0;
    let paused: Socket | undefined;
    const server = await botServer({
      onConnection: (connection) => {
        accepted += 1;
        if (accepted > 1) return;
        paused = (connection.ws as unknown as { _socket: Socket })._socket;
        paused.pause();
      },
    });
    const b = backend();
    const adapter = adapterFor(b, { url: server.url, maxBufferedBytes: 256 * 1024 });
    await adapter.start();
    const big = [{ type: 'text', data: { text: 'x'.repeat(32 * 1024) } }];
    let next = 1;
    const cut = (): boolean => b.logger.records.some((r) => r.msg.startsWith('slow consumer'));
    // Fill the kernel buffers and then ws's own: bursts, with the event loop running between them.
    while (!cut() && next < 5000) {
      for (let i = 0; i < 10; i += 1) {
        b.emitMessage({ message_id: next, message: big });
        next += 1;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(cut()).toBe(true);
    // The session is gone at once, although ws still waits for the server's closing handshake.
    expect(adapter.status().connections).toBe(0);
    const bufferedAtCut = adapter.status().buffered as number;
    for (let i = 0; i < 5; i += 1) {
      b.emitMessage({ message_id: next });
      next += 1;
    }
    expect(adapter.status().buffered).toBe(bufferedAtCut + 5);
    paused!.resume();
    const last = next - 1;
    await waitUntil(
      () => server.connections.length === 2 && messageIds(server.connections[1]!.frames).includes(last),
      'the events on the next connection',
    );
    expect(server.connections[0]!.closeCode).toBe(1013);
    // The first connection got what was written before the cut (a clean close: nothing is sent twice),
    // the second the rest, right after its lifecycle connect.
    const ids = [...messageIds(server.connections[0]!.frames), ...eventsAfterConnect(server.connections[1]!)];
    expect(ids).toEqual(oneTo(last));
    expect(adapter.status()).toMatchObject({ dropped: 0, buffered: 0 });
  });
});

describe('ws-client: a server that drops the socket right after accepting', () => {
  it('events flushed or written into the dead socket are sent again, not counted as sent', async () => {
    let accepted = 0;
    const server = await botServer({
      onConnection: (connection) => {
        accepted += 1;
        if (accepted <= 5) connection.ws.terminate();
      },
    });
    const b = backend();
    const adapter = adapterFor(b, { url: server.url, reconnectInterval: 5 });
    const started = adapter.start();
    const events = publisher(b, 1);
    // Buffered before the first connection opens, so the first flush carries them.
    for (let i = 0; i < 3; i += 1) events.publish();
    await started;
    await waitUntil(
      () => server.connections.length === 6 && adapter.status().connections === 1,
      'the sixth connection',
    );
    const last = events.stop();
    await waitUntil(() => messageIds(server.connections[5]!.frames).includes(last), 'every event');
    expect(adapter.status().connects).toBeGreaterThanOrEqual(2);
    for (const dropped of server.connections.slice(0, 5)) expect(dropped.frames).toEqual([]);
    expect(eventsAfterConnect(server.connections[5]!)).toEqual(oneTo(last));
    expect(adapter.status()).toMatchObject({ dropped: 0, buffered: 0, eventsSent: last });
  });
});

describe('ws-client: confirmation of written events', () => {
  it('a healthy server confirms written events within a moment, so a later dirty disconnect sends none of them twice', async () => {
    const server = await botServer({
      onConnection: (connection) => {
        if (server.connections.length > 1) return;
        // ws answers the ping before it emits it; end() sends that pong, then a FIN without a close frame (1006).
        connection.ws.once('ping', () => (connection.ws as unknown as { _socket: Socket })._socket.end());
      },
    });
    const b = backend();
    // heartInterval 0: the session's own keep-alive ping would come only after 30 s.
    const adapter = adapterFor(b, { url: server.url, heartInterval: 0 });
    await adapter.start();
    await waitUntil(() => adapter.status().connections === 1, 'the connection');
    const events = publisher(b, 60_000);
    for (let i = 0; i < 5; i += 1) events.publish();
    // The confirmation ping comes about 250 ms after the writes; the server ends the socket right after its pong.
    await waitUntil(
      () => server.connections.length === 2 && adapter.status().connections === 1,
      'the reconnect',
      5000,
    );
    expect(server.connections[0]!.closeCode).toBe(1006);
    expect(eventsAfterConnect(server.connections[0]!)).toEqual(oneTo(5));
    events.publish();
    await waitUntil(() => messageIds(server.connections[1]!.frames).includes(6), 'the sixth event');
    expect(eventsAfterConnect(server.connections[1]!)).toEqual([6]);
    expect(adapter.status()).toMatchObject({ dropped: 0, buffered: 0, eventsSent: 6 });
  });
});
