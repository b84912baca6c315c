import { describe, expect, it } from 'vitest';
import { privateMessage, until, useNatsTestbed, type Origin } from './support.js';

interface BridgeNats {
  published: number;
  bufferedEvents: number;
  bufferedBytes: number;
  droppedEvents: number;
}

const natsOf = (origin: Origin) => (origin.bridge.status() as unknown as { nats: BridgeNats }).nats;

describe('a NATS outage', () => {
  const testbed = useNatsTestbed();

  it('the origin holds events meanwhile; a running edge gets all of them once, in order, after the restart', async () => {
    const origin = testbed.origin();
    await origin.bridge.start();
    const edge = testbed.edge();
    await edge.backend.start();
    for (let index = 1; index <= 50; index += 1) origin.bus.publish(privateMessage(index));
    await until(() => edge.events.length === 50, 'the first 50 events');

    await testbed.nats.kill();
    await until(() => origin.bridge.status().connections === 0, 'the origin to notice');
    for (let index = 51; index <= 100; index += 1) origin.bus.publish(privateMessage(index));
    expect(natsOf(origin)).toMatchObject({ bufferedEvents: 50, droppedEvents: 0 });
    expect(origin.bridge.status()).toMatchObject({
      state: 'running',
      connections: 0,
      degraded: expect.stringMatching(
        /^NATS is (reconnecting|unreachable); holding 50 events \(\d+ of 67108864 bytes\), dropped 0$/,
      ),
    });
    expect(edge.backend.status()).toMatchObject({
      online: false,
      lastError: expect.stringMatching(/disconnected/),
    });

    await testbed.nats.restart();
    await until(() => edge.events.length === 100, 'all 100 events on the edge', 15_000);
    expect(edge.events.map((event) => event.message_id)).toEqual(
      Array.from({ length: 100 }, (_, index) => index + 1),
    );
    expect(natsOf(origin)).toMatchObject({ published: 100, bufferedEvents: 0, bufferedBytes: 0 });
    expect(origin.bridge.status()).not.toHaveProperty('degraded');
    await until(() => edge.backend.status().online === true, 'the edge to say it is online');
  });

  it('past maxBufferedBytes the oldest events go, counted, with one warning', async () => {
    const origin = testbed.origin({ maxBufferedBytes: 3000 });
    await origin.bridge.start();
    await testbed.nats.kill();
    for (let index = 1; index <= 40; index += 1) origin.bus.publish(privateMessage(index));
    const held = natsOf(origin);
    expect(held.bufferedBytes).toBeLessThanOrEqual(3000);
    expect(held.droppedEvents).toBe(40 - held.bufferedEvents);
    expect(held.droppedEvents).toBeGreaterThan(0);
    const warnings = origin.logger.records.filter((record) => /the NATS buffer is full/.test(record.msg));
    expect(warnings).toHaveLength(1);

    testbed.edge();
    await testbed.nats.restart();
    await until(() => natsOf(origin).bufferedEvents === 0, 'the buffer to empty', 15_000);
    expect(natsOf(origin).published).toBe(held.bufferedEvents);
  });
});
