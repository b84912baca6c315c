import { describe, expect, it } from 'vitest';
import { UPSTREAM_SELF_ID } from './support/fake-upstream.js';
import { useGatewayProcesses } from './support/fixture.js';
import { gatewayConfig, until } from './support/gateway-process.js';

const HOSTILE_DEPTH = 100_000;
const WARN = 40;

/** Built as text: the test itself must not recurse 100,000 levels. */
function deepHeartbeat(): string {
  const status = '{"a":'.repeat(HOSTILE_DEPTH) + '1' + '}'.repeat(HOSTILE_DEPTH);
  return `{"time":1,"self_id":${UPSTREAM_SELF_ID},"post_type":"meta_event","meta_event_type":"heartbeat","interval":5000,"status":{"online":true,"good":true,"x":${status}}}`;
}

function messageEvent(messageId: number, value: string): string {
  return `{"time":1,"self_id":${UPSTREAM_SELF_ID},"post_type":"message","message_type":"private","sub_type":"friend","message_id":${messageId},"user_id":7,"font":0,"sender":{"user_id":7,"nickname":"A"},"message":[{"type":"x","data":{"v":${value}}}]}`;
}

describe('relay gateway process against a hostile upstream', () => {
  const fixture = useGatewayProcesses();

  it('survives a heartbeat status and a segment nested 100,000 levels deep, keeps serving, and logs one warning each', async () => {
    const upstream = await fixture.fakeUpstream();
    const relay = await fixture.spawn(
      gatewayConfig(
        {
          // A string-format client: every message event goes through the CQ encoder for it.
          websocketServers: [
            { name: 'relay-ws', enable: true, port: 0, heartInterval: 200, messagePostFormat: 'string' },
          ],
        },
        { backend: { type: 'upstream', url: upstream.url, reconnectInterval: 200 } },
      ),
    );
    const client = await fixture.connect(relay, 'relay-ws');
    await client.next((f) => f.sub_type === 'connect');
    const socket = await until(() => upstream.sockets[0], 'the relay to connect to the upstream');

    socket.send(deepHeartbeat());
    socket.send(messageEvent(1, '['.repeat(HOSTILE_DEPTH) + ']'.repeat(HOSTILE_DEPTH)));
    socket.send(messageEvent(2, '"fine"'));
    // Frames on one connection arrive in order: the good one comes after both bad ones were handled.
    expect(await client.next((f) => f.post_type === 'message')).toMatchObject({
      message_id: 2,
      message: '[CQ:x,v=fine]',
    });

    // Heartbeat timers keep running after the deep status arrived (they used to end the process).
    const seen = client.frames.length;
    const heartbeatAfter = (index: number) => (f: Record<string, unknown>) =>
      f.meta_event_type === 'heartbeat' && client.frames.indexOf(f) > index;
    const first = await client.next(heartbeatAfter(seen - 1));
    const beat = await client.next(heartbeatAfter(client.frames.indexOf(first)));
    expect(beat).toMatchObject({ status: { online: true, good: true } });
    expect(await client.call('get_login_info')).toMatchObject({
      retcode: 0,
      data: { user_id: UPSTREAM_SELF_ID },
    });

    const warnings = relay.logs
      .filter((l) => l.level === WARN && /dropped a frame/.test(l.msg))
      .map((l) => l.msg);
    expect(warnings).toEqual([
      expect.stringMatching(
        /^dropped a frame from the upstream: a frame nested deeper than 128 levels \(600\d{3} bytes\)$/,
      ),
      expect.stringMatching(
        /^dropped a frame from the upstream: a frame nested deeper than 128 levels \(200\d{3} bytes\)$/,
      ),
    ]);
    const adapters = await relay.admin<{ backend: { status: { upstream: { droppedFrames: number } } } }>(
      '/api/adapters',
    );
    expect(adapters.body.backend.status.upstream.droppedFrames).toBe(2);
    expect(relay.child.exitCode).toBeNull();
    expect(relay.stderr()).not.toMatch(/RangeError|Maximum call stack/);
  });

  it('bounds what it queues for an upstream that stopped reading (gateway.backend.maxBufferedBytes): 1429 at once, health says why, and it recovers', async () => {
    const upstream = await fixture.fakeUpstream();
    const relay = await fixture.spawn(
      gatewayConfig(
        // The 24 MiB calls below are larger than the 16 MiB default frame limit.
        { websocketServers: [{ name: 'relay-ws', enable: true, port: 0, maxPayload: 32 * 1024 * 1024 }] },
        {
          backend: {
            type: 'upstream',
            url: upstream.url,
            maxBufferedBytes: 1024 * 1024,
            pingInterval: 2500,
            reconnectInterval: 1500,
            timeout: 20_000,
          },
        },
      ),
    );
    const client = await fixture.connect(relay, 'relay-ws');
    const stalled = await until(() => upstream.sockets[0], 'the relay to connect to the upstream');
    stalled.pause();

    // Bigger than loopback's kernel buffers, so most of the first call stays queued in the relay.
    const pad = 'x'.repeat(24 * 1024 * 1024);
    client.socket.send(JSON.stringify({ action: 'upload_big', params: { pad }, echo: 'first' }));
    // Answered when the relay gives up on the upstream: up to three ping intervals.
    const first = client.next((f) => f.echo === 'first', 15_000);
    const second = await client.call('upload_big', { pad });
    expect(second).toMatchObject({ status: 'failed', retcode: 1429 });
    expect(String(second.message)).toMatch(
      /the upstream is not reading what the relay sends \(\d+ bytes unsent, limit 1048576\)/,
    );

    // Nothing left for a whole ping interval: the upstream counts as down and health says why.
    expect(await first).toMatchObject({ status: 'failed', retcode: 100 });
    const health = await relay.admin<{ status: string; reasons: string[] }>('/api/health');
    expect(health.status).toBe(503);
    expect(health.body.reasons.join('\n')).toMatch(
      /backend "upstream" .* is not connected: upstream stopped reading/,
    );
    await relay.waitForLog(/^upstream stopped reading: .*; dropping the connection and reconnecting$/);

    await until(async () => (await relay.admin('/api/health')).status === 200, 'the relay to reconnect');
    expect(await client.call('get_login_info')).toMatchObject({
      retcode: 0,
      data: { user_id: UPSTREAM_SELF_ID },
    });
    expect(relay.child.exitCode).toBeNull();
  });
});
