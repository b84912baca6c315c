import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { retainedBytesAfterGc } from '@onebot-gateway/testkit';
import { SELF_ID, until } from './fake-upstream.js';
import { useRelayScope } from './relay-scope.js';

const MiB = 1024 * 1024;
const HOSTILE_DEPTH = 100_000;

/** JSON text nesting `{"a":` `levels` times around `inner`: built as text, so the test never recurses. */
function nestedObjectText(levels: number, inner = '1'): string {
  return '{"a":'.repeat(levels) + inner + '}'.repeat(levels);
}

function nestedArrayText(levels: number): string {
  return '['.repeat(levels) + ']'.repeat(levels);
}

function heartbeatText(statusExtra: string): string {
  return `{"time":1,"self_id":${SELF_ID},"post_type":"meta_event","meta_event_type":"heartbeat","interval":5000,"status":{"online":false,"good":true,"extra":${statusExtra}}}`;
}

function messageText(segmentValue: string): string {
  return `{"time":1,"self_id":${SELF_ID},"post_type":"message","message_type":"private","sub_type":"friend","message_id":9,"user_id":7,"font":0,"sender":{"user_id":7,"nickname":"A"},"message":[{"type":"x","data":{"v":${segmentValue}}}]}`;
}

const notice = { time: 1, self_id: SELF_ID, post_type: 'notice', notice_type: 'friend_add', user_id: 9 };

describe('upstream backend against a hostile or stalled upstream', () => {
  // Both formats: the string one runs the CQ encoder over every message event.
  const t = useRelayScope({ encodeStrings: true });
  const relay = t.relay;

  const warnings = () => t.logger.records.filter((r) => r.level === 'warn').map((r) => r.msg);

  it('drops frames nested 100,000 deep (heartbeat status, segment data) with one warning each and a counter, and keeps relaying', async () => {
    await relay();
    const socket = await t.upstream.connected();
    socket.send(heartbeatText(nestedObjectText(HOSTILE_DEPTH)));
    socket.send(messageText(nestedArrayText(HOSTILE_DEPTH)));
    t.upstream.broadcast(notice);
    await until(() => t.published.length === 1, 'the notice after the bad frames');

    expect(t.published.map((event) => event.post_type)).toEqual(['notice']);
    expect(warnings()).toEqual([
      expect.stringMatching(
        /^dropped a frame from the upstream: a frame nested deeper than 128 levels \(600\d{3} bytes\)$/,
      ),
      expect.stringMatching(
        /^dropped a frame from the upstream: a frame nested deeper than 128 levels \(200\d{3} bytes\)$/,
      ),
    ]);
    // Short lines: the frame itself is never logged.
    expect(t.logger.text().length).toBeLessThan(10_000);
    const status = t.backend.status();
    // The dropped heartbeat's status (online: false) was never taken in.
    expect(status).toMatchObject({
      online: true,
      good: true,
      upstream: {
        droppedFrames: 2,
        lastDroppedFrame: expect.stringMatching(/a frame nested deeper than 128 levels \(200\d{3} bytes\)/),
        state: 'connected',
      },
    });
    expect(() => JSON.stringify(status)).not.toThrow();
    expect(await t.router.handle({ action: 'echo_params', params: { still: 'here' } })).toMatchObject({
      retcode: 0,
      data: { still: 'here' },
    });
  });

  it('takes frames of exactly 128 levels, like client requests', async () => {
    await relay();
    const socket = await t.upstream.connected();
    // Event (1) > status (2) > extra: 126 more levels is 128 in all.
    socket.send(heartbeatText(nestedObjectText(125, '{}')));
    socket.send(heartbeatText(nestedObjectText(126, '{}')));
    t.upstream.broadcast(notice);
    await until(() => t.published.length === 1, 'the notice');
    expect(t.backend.status()).toMatchObject({ online: false, upstream: { droppedFrames: 1 } });
    expect(warnings()).toHaveLength(1);
  });

  it('drops an answer that nests too deep: its call fails at its timeout like a lost answer', async () => {
    await relay({ timeout: 300 });
    t.upstream.answer = (request) =>
      request.action === 'deep_answer'
        ? (JSON.parse(`{"status":"ok","retcode":0,"data":${nestedArrayText(200)}}`) as Record<
            string,
            unknown
          >)
        : undefined;
    const response = await t.router.handle({ action: 'deep_answer', echo: 'mine' });
    expect(response).toMatchObject({ status: 'failed', retcode: 100, echo: 'mine' });
    expect(response.message).toMatch(/did not answer "deep_answer" within 300 ms/);
    expect(warnings()).toEqual([
      expect.stringMatching(/^dropped a frame from the upstream: a frame nested deeper than 128 levels/),
    ]);
    expect(t.backend.status()).toMatchObject({ online: true, upstream: { droppedFrames: 1 } });
  });

  it('drops 50 MiB of [ without parsing it, at once', async () => {
    await relay();
    const socket = await t.upstream.connected();
    const sentAt = performance.now();
    socket.send(Buffer.alloc(50 * 1024 * 1024 - 1024, '['), { binary: false });
    t.upstream.broadcast(notice);
    await until(() => t.published.length === 1, 'the notice after the hostile frame', 10_000);
    // Parsing it would block the event loop for ~25 s and take ~1.5 GB.
    expect(performance.now() - sentAt).toBeLessThan(5_000);
    expect(warnings()).toEqual([
      expect.stringMatching(/a frame nested deeper than 128 levels \(52427776 bytes\)/),
    ]);
  });

  it('counts a frame past maxPayload, warns once for it, and reconnects', async () => {
    await relay({ maxPayload: 1024, reconnectInterval: 50 });
    const first = await t.upstream.connected();
    const closed = once(first, 'close');
    first.send(JSON.stringify({ ...notice, pad: 'x'.repeat(2048) }));
    const [code] = (await closed) as [number];
    expect(code).toBe(1009);
    expect(warnings().filter((line) => /dropped a frame/.test(line))).toEqual([
      'dropped a frame from the upstream: a frame larger than 1024 bytes; connection closed (1009)',
    ]);
    await until(() => t.backend.connected(), 'the reconnection');
    expect(t.backend.status()).toMatchObject({ upstream: { droppedFrames: 1, reconnects: 1 } });
    t.upstream.broadcast(notice);
    await until(() => t.published.length === 1, 'a notice on the new connection');
  });

  it('answers 1429 at once past maxBufferedBytes unsent to an upstream that stopped reading, memory bounded, and works again when it reads', async () => {
    await relay({ timeout: 15_000 });
    const socket = await t.upstream.connected();
    socket.pause();
    // A flat string: `repeat` makes a rope that the first serialisation would flatten (24 MiB more) mid-test.
    const pad = Buffer.alloc(24 * MiB, 'x').toString('latin1');
    const before = retainedBytesAfterGc();
    const calls = Array.from({ length: 6 }, (_, echo) =>
      t.router.handle({ action: 'upload_big', params: { pad }, echo }),
    );
    const refused = await Promise.all(calls.slice(1));
    expect(refused.map((r) => [r.retcode, r.echo])).toEqual([1, 2, 3, 4, 5].map((echo) => [1429, echo]));
    expect(refused[0]!.message).toMatch(
      /^"upload_big" refused: the upstream is not reading what the relay sends \(\d+ bytes unsent, limit 16777216\); retry later$/,
    );
    // One 24 MiB frame waits; without the bound all six (144 MiB) would.
    expect(retainedBytesAfterGc() - before).toBeLessThan(40 * MiB);
    expect(t.backend.status()).toMatchObject({
      online: true,
      upstream: { state: 'connected', maxBufferedBytes: 16 * MiB, pendingActions: 1 },
    });

    socket.resume();
    expect(await calls[0]).toMatchObject({ retcode: 1404, echo: 0 });
    expect(await t.router.handle({ action: 'echo_params', params: { back: true } })).toMatchObject({
      retcode: 0,
      data: { back: true },
    });
    expect(t.backend.status()).toMatchObject({ upstream: { bufferedBytes: 0, reconnects: 0 } });
  });

  it('drops an upstream that reads nothing for a whole ping interval, says so in status, and reconnects', async () => {
    await relay({ pingInterval: 200, reconnectInterval: 100, timeout: 15_000 });
    (await t.upstream.connected()).pause();
    const stuck = await t.router.handle({
      action: 'upload_big',
      params: { pad: 'y'.repeat(24 * MiB) },
      echo: 'big',
    });
    expect(stuck).toMatchObject({ status: 'failed', retcode: 100, echo: 'big' });
    expect(stuck.message).toMatch(/closed before it answered "upload_big"/);
    // Read as the failure arrives: the reconnect timer has not fired yet.
    expect(t.backend.status()).toMatchObject({
      online: false,
      upstream: {
        state: 'reconnecting',
        connected: false,
        lastError: expect.stringMatching(
          /^upstream stopped reading: \d+ bytes still unsent after a whole ping interval \(200 ms\)$/,
        ),
      },
    });
    expect(warnings()).toContainEqual(
      expect.stringMatching(/^upstream stopped reading: .*; dropping the connection and reconnecting$/),
    );

    await until(() => t.backend.connected(), 'the reconnection', 5_000);
    expect(await t.router.handle({ action: 'echo_params', params: { back: true } })).toMatchObject({
      retcode: 0,
      data: { back: true },
    });
    expect(t.backend.status()).toMatchObject({
      online: true,
      upstream: { state: 'connected', reconnects: 1 },
    });
    expect(t.backend.status().upstream).not.toHaveProperty('lastError');
  });
});
