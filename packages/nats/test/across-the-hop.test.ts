import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { errorRegistry } from '@onebot-gateway/core';
import { startNatsServer, type NatsServerProcess } from '@onebot-gateway/testkit';
import { createEdge, createOrigin, privateMessage, until, type Edge, type Origin } from './support.js';

describe('actions across the hop, and bad input published by hand', () => {
  let nats: NatsServerProcess;
  let origin: Origin;
  let edge: Edge;

  beforeAll(async () => {
    nats = await startNatsServer();
    origin = createOrigin(nats.url);
    await origin.bridge.start();
    edge = createEdge(nats.url, { maxPayload: 4096 });
    await edge.backend.start();
  });

  afterAll(async () => {
    await edge?.backend.stop();
    await origin?.bridge.stop();
    await nats?.stop();
  });

  it('_async answers at once on the edge and runs on the origin', async () => {
    const before = origin.ran.length;
    const answer = await edge.router.handle({
      action: 'send_private_msg_async',
      params: { user_id: 10001, message: 'later' },
      echo: 'a',
    });
    expect(answer).toMatchObject({ status: 'async', retcode: 1, echo: 'a' });
    await until(() => origin.ran.length === before + 1, 'the async call to reach the origin');
    expect(origin.ran.at(-1)).toMatchObject({ action: 'send_private_msg', params: { message: 'later' } });
  });

  it('_rate_limited is queued on the edge and runs on the origin', async () => {
    const before = origin.ran.length;
    const answers = await Promise.all(
      [1, 2].map((index) =>
        edge.router.handle({
          action: 'send_private_msg_rate_limited',
          params: { user_id: 10001, message: `paced ${index}` },
        }),
      ),
    );
    expect(answers.map((answer) => answer.retcode)).toEqual([1, 1]);
    await until(() => origin.ran.length === before + 2, 'both paced calls on the origin', 5_000);
    expect(origin.ran.slice(-2).map((call) => call.params.message)).toEqual(['paced 1', 'paced 2']);
  });

  it('.handle_quick_operation on the edge replies through the origin', async () => {
    const before = origin.ran.length;
    const answer = await edge.router.handle({
      action: '.handle_quick_operation',
      params: { context: privateMessage(1), operation: { reply: 'quick pong' } },
    });
    expect(answer).toMatchObject({ retcode: 0 });
    expect(origin.ran.slice(before)).toEqual([
      {
        action: 'send_private_msg',
        params: expect.objectContaining({
          user_id: 10001,
          message: [{ type: 'text', data: { text: 'quick pong' } }],
        }),
      },
    ]);
  });

  it('drops a malformed or oversized event with one warning and a counter, and keeps going', async () => {
    const hand = await connect({ servers: nats.url });
    try {
      const client = jetstream(hand);
      const subject = 'onebot.v11.10000.event.message.private';
      await client.publish(subject, '{not json');
      await client.publish(subject, '[1,2]');
      await client.publish(subject, JSON.stringify({ post_type: 'message', padding: 'x'.repeat(8192) }));
      origin.bus.publish(privateMessage(4242));
      await until(
        () => edge.events.some((event) => event.message_id === 4242),
        'the good event after the bad ones',
      );
      const status = edge.backend.status() as unknown as {
        online: boolean;
        nats: { droppedMessages: number };
      };
      expect(status.online).toBe(true);
      expect(status.nats.droppedMessages).toBe(3);
      const warnings = edge.logger.records.filter(
        (record) => record.level === 'warn' && /dropped a message/.test(record.msg),
      );
      expect(warnings.map((record) => record.msg)).toEqual([
        expect.stringMatching(/on onebot\.v11\.10000\.event\.message\.private: not JSON/),
        expect.stringMatching(/: not a JSON object$/),
        expect.stringMatching(/: \d+ bytes, more than gateway\.backend\.maxPayload \(4096\)$/),
      ]);
    } finally {
      await hand.close();
    }
  });

  it('answers a malformed action request with 1400, counts it once, and serves the next call', async () => {
    const hand = await connect({ servers: nats.url });
    try {
      const answer = await hand.request('onebot.v11.10000.action', '{"action": ', { timeout: 2000 });
      expect(JSON.parse(answer.string())).toMatchObject({ status: 'failed', retcode: 1400 });
      const notObject = await hand.request('onebot.v11.10000.action', '42', { timeout: 2000 });
      expect(JSON.parse(notObject.string())).toMatchObject({ status: 'failed', retcode: 1400 });
    } finally {
      await hand.close();
    }
    const bridge = origin.bridge.status() as unknown as { nats: { droppedMessages: number } };
    expect(bridge.nats.droppedMessages).toBe(1);
    expect(
      origin.logger.records.filter((record) =>
        /dropped a message on onebot\.v11\.10000\.action/.test(record.msg),
      ),
    ).toHaveLength(1);
    expect(await edge.router.handle({ action: 'get_login_info' })).toMatchObject({ retcode: 0 });
  });

  it('times out like the relay backend when the origin does not answer in time', async () => {
    const slow = createEdge(nats.url, { actionTimeout: 200 });
    origin.router.register(
      'slow_action',
      () => new Promise((resolve) => setTimeout(() => resolve(null), 1000)),
    );
    await slow.backend.start();
    try {
      const answer = await slow.router.handle({ action: 'slow_action' });
      expect(answer).toMatchObject({ retcode: errorRegistry.BACKEND_UNAVAILABLE.retcode });
      expect(answer.message).toBe(
        'upstream did not answer "slow_action" within 200 ms; it may be busy or stuck',
      );
    } finally {
      await slow.backend.stop();
    }
  });
});
