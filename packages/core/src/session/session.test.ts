import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAdapterCounters, type BackendStatus } from '../adapter.js';
import { createEventBus } from '../bus/event-bus.js';
import { createAdapterContext } from '../context.js';
import { createRecordingLogger } from '../../test/helpers/recording-logger.js';
import { createActionRouter } from '../router/action-router.js';
import type { OneBotEvent } from '../types/events.js';
import { createOneBotSession, type OneBotSession, type SessionInit } from './session.js';
import type { SessionSocket } from './socket.js';

const SELF_ID = 4242;

interface FakeSocket extends SessionSocket {
  sent: Array<string | Buffer>;
  closed: { code: number; reason: string } | undefined;
  terminated: boolean;
  pings: number;
  bufferedAmount: number;
  corks: number;
  uncorks: number;
  frames(): Array<Record<string, unknown>>;
}

function createFakeSocket(): FakeSocket {
  const socket: FakeSocket = {
    sent: [],
    closed: undefined,
    terminated: false,
    pings: 0,
    bufferedAmount: 0,
    corks: 0,
    uncorks: 0,
    send(data) {
      socket.sent.push(data);
    },
    close(code, reason) {
      socket.closed = { code, reason };
    },
    terminate() {
      socket.terminated = true;
    },
    ping() {
      socket.pings += 1;
    },
    cork() {
      socket.corks += 1;
    },
    uncork() {
      socket.uncorks += 1;
    },
    frames: () => socket.sent.map((d) => JSON.parse(d.toString()) as Record<string, unknown>),
  };
  return socket;
}

function messageEvent(postType: 'message' | 'message_sent' = 'message'): OneBotEvent {
  return {
    time: 1,
    self_id: SELF_ID,
    post_type: postType,
    message_type: 'private',
    sub_type: 'friend',
    message_id: 7,
    user_id: 5,
    message: [{ type: 'text', data: { text: 'hi' } }],
    raw_message: 'hi',
    font: 0,
    sender: { user_id: 5, nickname: 'A' },
  };
}

function setup(backendStatus?: () => BackendStatus) {
  const router = createActionRouter();
  router.register('echo_params', (params) => params);
  router.register('slow', () => new Promise((resolve) => setTimeout(() => resolve('late'), 50)));
  const bus = createEventBus();
  const logger = createRecordingLogger();
  const context = createAdapterContext({ router, bus, selfId: () => SELF_ID, logger, backendStatus }, 'test');
  const counters = createAdapterCounters();
  const sessions: OneBotSession[] = [];
  const open = (
    role: SessionInit['role'],
    options: SessionInit['options'] = {},
    socket = createFakeSocket(),
  ) => {
    const session = createOneBotSession({ socket, role, context, options, counters, logger });
    sessions.push(session);
    return { session, socket };
  };
  return { router, bus, logger, counters, open, sessions };
}

/** Let promise callbacks and nextTick callbacks run. */
async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => process.nextTick(resolve));
}

describe('session lifecycle and roles', () => {
  let env: ReturnType<typeof setup>;
  beforeEach(() => {
    env = setup();
  });
  afterEach(() => {
    for (const s of env.sessions) s.dispose();
    vi.useRealTimers();
  });

  it('sends lifecycle connect first on universal and event connections, nothing on api', () => {
    const universal = env.open('universal');
    const event = env.open('event');
    const api = env.open('api');
    for (const { socket } of [universal, event]) {
      expect(socket.frames()[0]).toMatchObject({
        post_type: 'meta_event',
        meta_event_type: 'lifecycle',
        sub_type: 'connect',
        self_id: SELF_ID,
      });
    }
    expect(api.socket.sent).toHaveLength(0);
    env.bus.publish(messageEvent());
    expect(api.socket.sent).toHaveLength(0);
    expect(universal.socket.frames()[1]).toMatchObject({ post_type: 'message', message_id: 7 });
    expect(event.socket.frames()[1]).toMatchObject({ post_type: 'message' });
  });

  it('sends the shared pre-encoded buffer, never a per-connection serialisation', () => {
    const a = env.open('universal');
    const b = env.open('universal');
    env.bus.publish(messageEvent());
    expect(Buffer.isBuffer(a.socket.sent[1])).toBe(true);
    expect(a.socket.sent[1]).toBe(b.socket.sent[1]);
    expect(env.counters.eventsSent).toBe(2);
  });

  it('honours messagePostFormat and reportSelfMessage, and updates them in place', () => {
    const { session, socket } = env.open('universal', { messagePostFormat: 'string' });
    env.bus.publish(messageEvent('message_sent'));
    env.bus.publish(messageEvent());
    expect(socket.frames()).toHaveLength(2);
    expect(socket.frames()[1]).toMatchObject({ message: 'hi', message_format: 'string' });
    session.update({ reportSelfMessage: true, messagePostFormat: 'array' });
    env.bus.publish(messageEvent('message_sent'));
    expect(socket.frames()[2]).toMatchObject({ post_type: 'message_sent', message_format: 'array' });
    expect(env.bus.subscriberCount()).toBe(1);
  });

  it('api connections answer actions; event connections ignore frames', async () => {
    const api = env.open('api');
    const event = env.open('event');
    api.session.handleFrame(
      Buffer.from(JSON.stringify({ action: 'echo_params', params: { a: 1 }, echo: 0 })),
      false,
    );
    event.session.handleFrame(JSON.stringify({ action: 'echo_params', echo: 1 }), false);
    await flush();
    expect(api.socket.frames()).toEqual([
      { status: 'ok', retcode: 0, data: { a: 1 }, message: '', wording: '', echo: 0 },
    ]);
    expect(event.socket.frames()).toHaveLength(1); // only lifecycle
  });

  it('answers malformed JSON and binary frames with 1400 and no echo', async () => {
    const { session, socket } = env.open('api');
    session.handleFrame('{not json', false);
    session.handleFrame(Buffer.from('{"action":"echo_params","echo":1}'), true);
    await flush();
    const frames = socket.frames();
    expect(frames).toHaveLength(2);
    for (const frame of frames) {
      expect(frame).toMatchObject({ status: 'failed', retcode: 1400 });
      expect(frame).not.toHaveProperty('echo');
    }
  });

  it('answers every request exactly once, even many at once', async () => {
    const { session, socket } = env.open('api');
    for (let i = 0; i < 200; i++)
      session.handleFrame(JSON.stringify({ action: 'echo_params', echo: i }), false);
    await flush();
    const echoes = socket.frames().map((f) => f.echo as number);
    expect(echoes.sort((x, y) => x - y)).toEqual([...Array(200).keys()]);
    expect(env.counters.actionsHandled).toBe(200);
  });

  it('answers 1429 beyond maxPendingActions instead of queueing without bound', async () => {
    vi.useFakeTimers();
    const { session, socket } = env.open('api', { maxPendingActions: 2 });
    for (let i = 0; i < 3; i++) session.handleFrame(JSON.stringify({ action: 'slow', echo: i }), false);
    await vi.advanceTimersByTimeAsync(0);
    expect(socket.frames()).toEqual([expect.objectContaining({ retcode: 1429, echo: 2 })]);
    await vi.advanceTimersByTimeAsync(60);
    expect(socket.frames().map((f) => f.echo)).toEqual([2, 0, 1]);
  });

  it('batches a burst of writes between cork and uncork', async () => {
    const { socket } = env.open('universal');
    await flush();
    const corksBefore = socket.corks;
    for (let i = 0; i < 10; i++) env.bus.publish(messageEvent());
    expect(socket.corks - corksBefore).toBe(1);
    await flush();
    expect(socket.uncorks).toBe(socket.corks);
  });
});

describe('enableForcePushEvent false', () => {
  let env: ReturnType<typeof setup>;
  beforeEach(() => {
    env = setup();
  });
  afterEach(() => {
    for (const s of env.sessions) s.dispose();
  });

  it('holds events until the first frame, then delivers them in order', async () => {
    const { session, socket } = env.open('universal', { enableForcePushEvent: false });
    env.bus.publish(messageEvent());
    env.bus.publish({ ...messageEvent(), message_id: 8 });
    expect(socket.frames()).toHaveLength(1); // connect only
    expect(session.isReady()).toBe(false);
    session.handleFrame(JSON.stringify({ action: 'echo_params', echo: 'x' }), false);
    expect(
      socket
        .frames()
        .slice(1)
        .map((f) => f.message_id),
    ).toEqual([7, 8]);
    await flush();
    expect(socket.frames()[3]).toMatchObject({ echo: 'x' });
  });

  it('keeps only the newest maxHeldEvents', () => {
    const { session, socket } = env.open('universal', { enableForcePushEvent: false, maxHeldEvents: 3 });
    for (let i = 0; i < 10; i++) env.bus.publish({ ...messageEvent(), message_id: i });
    session.handleFrame('{}', false);
    expect(
      socket
        .frames()
        .slice(1, 4)
        .map((f) => f.message_id),
    ).toEqual([7, 8, 9]);
  });

  it('warns once per connection when it drops held events, and holds nothing once ready', () => {
    const { session, socket } = env.open('universal', { enableForcePushEvent: false, maxHeldEvents: 2 });
    for (let i = 0; i < 5; i++) env.bus.publish({ ...messageEvent(), message_id: i });
    const drops = () =>
      env.logger.records.filter((r) => r.msg.startsWith('connection has not sent its first frame yet'));
    expect(drops().map((r) => r.obj)).toEqual([{ role: 'universal', maxHeldEvents: 2 }]);
    session.handleFrame('{}', false);
    env.bus.publish({ ...messageEvent(), message_id: 9 });
    expect(
      socket
        .frames()
        .filter((f) => f.post_type === 'message')
        .map((f) => f.message_id),
    ).toEqual([3, 4, 9]);
    expect(drops()).toHaveLength(1);
  });

  it('event connections are ready at once; switching the flag on releases held events', () => {
    const event = env.open('event', { enableForcePushEvent: false });
    const universal = env.open('universal', { enableForcePushEvent: false });
    env.bus.publish(messageEvent());
    expect(event.socket.frames()).toHaveLength(2);
    universal.session.update({ enableForcePushEvent: true });
    expect(universal.socket.frames()).toHaveLength(2);
  });
});

describe('timers', () => {
  let env: ReturnType<typeof setup>;
  beforeEach(() => {
    vi.useFakeTimers();
    env = setup();
  });
  afterEach(() => {
    for (const s of env.sessions) s.dispose();
    vi.useRealTimers();
  });

  it('sends heartbeats with exact types on event-receiving connections only', () => {
    const universal = env.open('universal', { heartInterval: 1000 });
    const api = env.open('api', { heartInterval: 1000 });
    vi.advanceTimersByTime(2500);
    const beats = universal.socket.frames().filter((f) => f.meta_event_type === 'heartbeat');
    expect(beats).toHaveLength(2);
    expect(beats[0]).toMatchObject({
      post_type: 'meta_event',
      interval: 1000,
      status: { online: true, good: true },
    });
    expect(typeof beats[0]!.interval).toBe('number');
    expect(api.socket.sent).toHaveLength(0);
  });

  it('sends heartbeats without a status that cannot be sent (100,000 levels deep), warning once per connection', () => {
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    let status: BackendStatus = { online: true, good: true, deep };
    const hostile = setup(() => status);
    const { socket, session } = hostile.open('universal', { heartInterval: 1000 });
    const tick = () => {
      vi.advanceTimersByTime(1000);
      session.handlePong();
    };
    tick();
    tick();
    tick();
    status = { online: true, good: true, big: 1n };
    tick();
    status = { online: true, good: true, fine: 1 };
    tick();
    const beats = socket.frames().filter((f) => f.meta_event_type === 'heartbeat');
    expect(beats.map((beat) => beat.status)).toEqual([
      { online: true, good: true },
      { online: true, good: true },
      { online: true, good: true },
      { online: true, good: true },
      { online: true, good: true, fine: 1 },
    ]);
    const warnings = hostile.logger.records.filter((r) => r.level === 'warn');
    expect(warnings.map((r) => r.msg)).toEqual([
      'heartbeat sent with status {online, good} only: the backend status nests deeper than 127 levels',
    ]);
    for (const s of hostile.sessions) s.dispose();
  });

  it('sends no heartbeat when heartInterval is 0, but still pings every 30 s', () => {
    const { socket } = env.open('universal', { heartInterval: 0 });
    vi.advanceTimersByTime(30_000);
    expect(socket.frames()).toHaveLength(1);
    expect(socket.pings).toBe(1);
  });

  it('terminates a peer that missed two pings in a row, keeps one that answers', () => {
    const silent = env.open('api', { heartInterval: 1000 });
    const alive = env.open('api', { heartInterval: 1000 });
    for (let i = 0; i < 5; i++) {
      vi.advanceTimersByTime(1000);
      alive.session.handlePong();
    }
    expect(silent.socket.pings).toBe(2);
    expect(silent.socket.terminated).toBe(true);
    expect(silent.session.isDisposed()).toBe(true);
    expect(alive.socket.terminated).toBe(false);
    expect(alive.socket.pings).toBe(5);
  });

  it('dispose clears every timer and the subscription', () => {
    const { session, socket } = env.open('universal', { heartInterval: 1000 });
    session.dispose();
    expect(vi.getTimerCount()).toBe(0);
    expect(env.bus.subscriberCount()).toBe(0);
    env.bus.publish(messageEvent());
    vi.advanceTimersByTime(5000);
    expect(socket.frames()).toHaveLength(1);
  });

  it('a heartInterval change restarts the timers in place', () => {
    const { session, socket } = env.open('universal', { heartInterval: 1000 });
    session.update({ heartInterval: 5000 });
    vi.advanceTimersByTime(4000);
    expect(socket.frames()).toHaveLength(1);
    vi.advanceTimersByTime(1000);
    expect(socket.frames()[1]).toMatchObject({ meta_event_type: 'heartbeat', interval: 5000 });
  });
});

describe('slow consumers and logging', () => {
  let env: ReturnType<typeof setup>;
  beforeEach(() => {
    env = setup();
  });
  afterEach(() => {
    for (const s of env.sessions) s.dispose();
  });

  it('closes with 1013 past maxBufferedBytes and keeps serving the others', async () => {
    const slow = env.open('universal', { maxBufferedBytes: 1000 });
    const fast = env.open('universal', { maxBufferedBytes: 1000 });
    await flush(); // the backlog is read when a burst starts, so start a new one
    slow.socket.bufferedAmount = 990;
    env.bus.publish(messageEvent());
    expect(slow.socket.closed).toEqual({ code: 1013, reason: expect.stringContaining('slow consumer') });
    expect(slow.session.isDisposed()).toBe(true);
    env.bus.publish(messageEvent());
    expect(fast.socket.frames()).toHaveLength(3);
    expect(slow.socket.frames()).toHaveLength(1);
    expect(env.counters.errors).toBe(1);
    expect(env.logger.records.some((l) => l.level === 'warn' && l.msg.includes('slow consumer'))).toBe(true);
  });

  it('hands the event whose own delivery caused the cut to onDispose, and no event otherwise', async () => {
    const handed: Array<number | undefined> = [];
    const openWatched = (socket = createFakeSocket()) => {
      const session = createOneBotSession({
        socket,
        role: 'universal',
        context: createAdapterContext(
          { router: env.router, bus: env.bus, selfId: () => SELF_ID, logger: env.logger },
          'test',
        ),
        options: { maxBufferedBytes: 1000 },
        logger: env.logger,
        onDispose: (_session, unsent) => handed.push(unsent?.event.message_id as number | undefined),
      });
      env.sessions.push(session);
      return { session, socket };
    };
    // A slow-consumer cut while writing the event.
    const slow = openWatched();
    await flush();
    slow.socket.bufferedAmount = 990;
    env.bus.publish({ ...messageEvent(), message_id: 11 });
    expect(slow.socket.closed?.code).toBe(1013);
    // A write that throws.
    const failing = createFakeSocket();
    openWatched(failing);
    failing.send = () => {
      throw new Error('socket gone');
    };
    env.bus.publish({ ...messageEvent(), message_id: 12 });
    expect(failing.closed?.code).toBe(1011);
    // A dispose that no write caused.
    openWatched().session.dispose();
    expect(handed).toEqual([11, 12, undefined]);
  });

  it('a corked burst bigger than the bound is not slowness; a backlog from earlier ticks is', async () => {
    const socket = createFakeSocket();
    // Bytes stay "buffered" while corked, as in a net.Socket, and leave on uncork unless the peer stalls.
    let stalled = false;
    socket.send = (data) => {
      socket.sent.push(data);
      socket.bufferedAmount += data.length;
    };
    socket.uncork = () => {
      socket.uncorks += 1;
      if (!stalled) socket.bufferedAmount = 0;
    };
    env.open('universal', { maxBufferedBytes: 1000 }, socket);
    await flush();
    for (let i = 0; i < 20; i++) env.bus.publish(messageEvent());
    expect(socket.closed).toBeUndefined();
    await flush();
    stalled = true;
    for (let i = 0; i < 20; i++) env.bus.publish(messageEvent());
    await flush();
    expect(socket.closed).toBeUndefined();
    env.bus.publish(messageEvent());
    expect(socket.closed?.code).toBe(1013);
  });

  it('an empty buffer always accepts one frame, however big', () => {
    const { socket } = env.open('universal', { maxBufferedBytes: 10 });
    env.bus.publish(messageEvent());
    expect(socket.closed).toBeUndefined();
    expect(socket.frames()).toHaveLength(2);
  });

  it('debug logs frames both ways with the token redacted; off logs nothing', async () => {
    const { session } = env.open('api', { debug: true, token: 's3cret' });
    session.handleFrame(JSON.stringify({ action: 'echo_params', params: { t: 's3cret' } }), false);
    await flush();
    const frames = env.logger.records.filter((l) => l.msg.startsWith('ws frame'));
    expect(frames.map((l) => l.msg)).toEqual(['ws frame received', 'ws frame sent']);
    expect(frames.every((l) => l.level === 'info')).toBe(true);
    expect(JSON.stringify(env.logger.records)).not.toContain('s3cret');
    session.update({ debug: false });
    const count = env.logger.records.length;
    session.handleFrame('{"action":"echo_params"}', false);
    await flush();
    expect(env.logger.records.length).toBe(count);
  });

  it('ignores undefined option values instead of clobbering the defaults', async () => {
    const { session, socket } = env.open('api', {
      token: undefined,
      debug: undefined,
      maxBufferedBytes: undefined,
    });
    expect(session.options()).toMatchObject({ token: '', debug: false, maxBufferedBytes: 16 * 1024 * 1024 });
    session.update({ heartInterval: undefined });
    expect(session.options().heartInterval).toBe(30_000);
    session.handleFrame('{"action":"echo_params","echo":1}', false);
    await flush();
    expect(socket.frames()).toEqual([expect.objectContaining({ echo: 1 })]);
  });

  it('never shows part of a token that lay beyond the cut, however redaction shortened the text before it', async () => {
    const token = 'SECRET' + 'Z'.repeat(34);
    const { session } = env.open('api', { debug: true, token });
    const limit = 16 * 1024;
    // One token early (redacting it shortens the text by 30 chars), a second one starting just past the cut.
    const head = `{"action":"echo_params","params":{"a":"${token}","p":"`;
    const filler = 'x'.repeat(limit + 5 - head.length);
    session.handleFrame(`${head}${filler}${token}"}}`, false);
    await flush();
    const logged = JSON.stringify(env.logger.records);
    expect(logged).toContain('[redacted]');
    expect(logged).not.toContain('SECRET');
  });

  it('redacts the token before truncating a long debug frame', async () => {
    const token = 'T'.repeat(40);
    const { session } = env.open('api', { debug: true, token });
    // The token straddles the 16 KiB truncation limit.
    session.handleFrame(
      `{"action":"echo_params","params":{"p":"${'x'.repeat(16 * 1024 - 50)}${token}"}}`,
      false,
    );
    await flush();
    expect(JSON.stringify(env.logger.records)).not.toContain('T'.repeat(10));
  });

  it('close is idempotent and answers that arrive after it are dropped', async () => {
    const { session, socket } = env.open('api');
    session.handleFrame('{"action":"echo_params"}', false);
    session.close(1001, 'bye');
    session.close(1001, 'bye');
    await flush();
    expect(socket.closed).toEqual({ code: 1001, reason: 'bye' });
    expect(socket.sent).toHaveLength(0);
  });
});

describe('pre-framed fan-out', () => {
  it('encodes RFC 6455 text frame headers for every length class', async () => {
    const { encodeTextFrameHeader } = await import('./frame.js');
    expect([...encodeTextFrameHeader(0)]).toEqual([0x81, 0]);
    expect([...encodeTextFrameHeader(125)]).toEqual([0x81, 125]);
    expect([...encodeTextFrameHeader(126)]).toEqual([0x81, 126, 0, 126]);
    expect([...encodeTextFrameHeader(65_535)]).toEqual([0x81, 126, 0xff, 0xff]);
    expect([...encodeTextFrameHeader(65_536)]).toEqual([0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0]);
    expect([...encodeTextFrameHeader(2 ** 32 + 5)]).toEqual([0x81, 127, 0, 0, 0, 1, 0, 0, 0, 5]);
  });

  it('writes events through sendFrame with one shared frame per event, falling back to send when refused', async () => {
    const { encodeTextFrameHeader } = await import('./frame.js');
    const env = setup();
    const writes: Array<readonly Buffer[]> = [];
    let accept = true;
    const fast = createFakeSocket();
    fast.sendFrame = (chunks) => {
      if (accept) writes.push(chunks);
      return accept;
    };
    const other = createFakeSocket();
    other.sendFrame = (chunks) => {
      writes.push(chunks);
      return true;
    };
    env.open('event', {}, fast);
    env.open('event', {}, other);
    env.bus.publish(messageEvent());
    expect(writes).toHaveLength(2);
    expect(writes[0]).toBe(writes[1]);
    const frame = Buffer.concat(writes[0]!);
    const payload = fast.sent.length === 1 ? frame.subarray(frame[1]! < 126 ? 2 : 4) : Buffer.alloc(0);
    expect(frame.subarray(0, frame.length - payload.length)).toEqual(encodeTextFrameHeader(payload.length));
    expect(JSON.parse(payload.toString())).toMatchObject({ post_type: 'message', message_id: 7 });
    accept = false;
    env.bus.publish(messageEvent());
    expect(fast.sent).toHaveLength(2); // lifecycle + the refused event via send
    const big = { ...messageEvent(), message: [{ type: 'text', data: { text: 'z'.repeat(70_000) } }] };
    env.bus.publish(big);
    expect(writes.at(-1)).toHaveLength(2); // big payloads: header and payload, no copy
    for (const s of env.sessions) s.dispose();
  });

  it('frames any payload size and any UTF-8 exactly, from bus views and from other DeliveredEvent objects', async () => {
    const { sharedTextFrame } = await import('./frame.js');
    const { createDeliveryViews } = await import('../bus/event-bus.js');
    /** The payload of one unmasked server text frame, checking its header on the way. */
    const payloadOf = (chunks: readonly Buffer[]): Buffer => {
      const frame = Buffer.concat(chunks);
      expect(frame[0]).toBe(0x81);
      const short = frame[1]!;
      const [length, offset] =
        short < 126
          ? [short, 2]
          : short === 126
            ? [frame.readUInt16BE(2), 4]
            : [Number(frame.readBigUInt64BE(2)), 10];
      expect(frame.length).toBe(offset + length);
      return frame.subarray(offset);
    };
    // A small notice, so even the 125/126-byte boundary fits; `pad` sets the size.
    const withText = (pad: string): OneBotEvent => ({
      time: 1,
      self_id: 1,
      post_type: 'notice',
      notice_type: 'test',
      pad,
    });
    const jsonBytes = (pad: string) => Buffer.byteLength(JSON.stringify(withText(pad)));
    for (const bytes of [125, 126, 127, 65_535, 65_536, 70_000]) {
      for (const unit of ['a', 'é', '你', '😀']) {
        // Exactly `bytes` of payload: as many `unit`s as fit, topped up with ASCII.
        const need = bytes - jsonBytes('');
        const units = Math.floor(need / Buffer.byteLength(unit));
        const text = unit.repeat(units) + 'a'.repeat(need - units * Buffer.byteLength(unit));
        const event = withText(text);
        const delivered = createDeliveryViews(event)('array');
        expect(Buffer.byteLength(delivered.json), `payload of ${bytes} bytes`).toBe(bytes);
        const chunks = sharedTextFrame(delivered);
        expect(payloadOf(chunks).equals(Buffer.from(delivered.json)), `${bytes} bytes of ${unit}`).toBe(true);
        expect(sharedTextFrame(delivered)).toBe(chunks);
        // An object that only looks like a delivery (no frame slot) gets the same bytes, cached too.
        const plain = {
          event: delivered.event,
          json: delivered.json,
          buffer: delivered.buffer,
          isSelfMessage: false,
        };
        const plainChunks = sharedTextFrame(plain);
        expect(payloadOf(plainChunks).equals(Buffer.from(delivered.json))).toBe(true);
        sharedTextFrame(delivered);
        expect(sharedTextFrame(plain)).toBe(plainChunks);
      }
    }
  });
});
