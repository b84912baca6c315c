import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DurableDelivery } from '@onebot-gateway/core';
import { startNatsServer, type NatsServerProcess } from '@onebot-gateway/testkit';
import { createEdge, createOrigin, privateMessage, until, type Edge, type Origin } from './support.js';

describe('durable consumers on an edge', () => {
  let nats: NatsServerProcess;
  let origin: Origin;
  const edges: Edge[] = [];

  beforeEach(async () => {
    nats = await startNatsServer();
    origin = createOrigin(nats.url);
    await origin.bridge.start();
  });

  afterEach(async () => {
    await Promise.all(edges.splice(0).map((edge) => edge.backend.stop()));
    await origin.bridge.stop();
    await nats.stop();
  });

  async function edgeWithFeed(acknowledge: boolean) {
    const edge = createEdge(nats.url);
    edges.push(edge);
    await edge.backend.start();
    const got: DurableDelivery[] = [];
    const stop = await edge.backend.durableEvents!().subscribe(
      { name: 'receiver', format: 'string', reportSelfMessage: false, maxInFlight: 100 },
      (delivery) => {
        got.push(delivery);
        if (acknowledge) delivery.ack();
      },
    );
    return { edge, got, stop };
  }

  it('hands out events in order, formatted, and a successor gets the unacknowledged ones again, marked', async () => {
    const first = await edgeWithFeed(false);
    for (let index = 1; index <= 10; index += 1) origin.bus.publish(privateMessage(index));
    await until(() => first.got.length === 10, 'ten deliveries');
    expect(first.got.map((delivery) => delivery.event.message_id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(first.got[0]!.event.message).toBe('event 1');
    expect(JSON.parse(first.got[0]!.buffer.toString())).not.toHaveProperty('redelivered');
    for (const delivery of first.got.slice(0, 4)) delivery.ack();
    // The process "dies": its consumer keeps six events handed out and unacknowledged.
    await first.stop();
    await first.edge.backend.stop();

    const second = await edgeWithFeed(true);
    origin.bus.publish(privateMessage(11));
    await until(() => second.got.length === 7, 'the six again and the new one');
    expect(second.got.map((delivery) => [delivery.event.message_id, delivery.redelivered])).toEqual([
      [5, true],
      [6, true],
      [7, true],
      [8, true],
      [9, true],
      [10, true],
      [11, false],
    ]);
    expect(JSON.parse(second.got[0]!.buffer.toString())).toMatchObject({ message_id: 5, redelivered: true });
  });
});
