import { describe, expect, it } from 'vitest';
import { errorRegistry } from '@onebot-gateway/core';
import { privateMessage, SELF_ID, until, useNatsTestbed } from './support.js';

describe('origin bridge -> NATS JetStream -> edge backend', () => {
  const testbed = useNatsTestbed();

  it('carries every event once, in order, and answers actions with the echo', async () => {
    const origin = testbed.origin();
    await origin.bridge.start();
    const edge = testbed.edge();
    await edge.backend.start();
    expect(edge.backend.status()).toMatchObject({ online: true, nats: { connected: true } });

    for (let index = 1; index <= 200; index += 1) origin.bus.publish(privateMessage(index));
    await until(() => edge.events.length === 200, '200 events on the edge');
    expect(edge.events.map((event) => event.message_id)).toEqual(
      Array.from({ length: 200 }, (_, index) => index + 1),
    );
    expect(origin.bridge.status()).toMatchObject({
      state: 'running',
      eventsSent: 200,
      nats: { published: 200, bufferedEvents: 0, droppedEvents: 0 },
    });

    const answer = await edge.router.handle({
      action: 'send_private_msg',
      params: { user_id: 10001, message: 'hello from the edge' },
      echo: { id: 'e-1' },
    });
    expect(answer).toMatchObject({ status: 'ok', retcode: 0, data: { message_id: 1 }, echo: { id: 'e-1' } });
    expect(origin.ran).toEqual([
      { action: 'send_private_msg', params: expect.objectContaining({ user_id: 10001 }) },
    ]);
    expect(edge.backend.selfId()).toBe(SELF_ID);
  });

  it('answers BACKEND_UNAVAILABLE when no origin serves the account', async () => {
    const origin = testbed.origin();
    await origin.bridge.start(); // creates the stream
    await origin.bridge.stop();
    const edge = testbed.edge({ actionTimeout: 500 });
    await edge.backend.start();
    const answer = await edge.router.handle({ action: 'get_login_info', echo: 7 });
    expect(answer).toMatchObject({
      status: 'failed',
      retcode: errorRegistry.BACKEND_UNAVAILABLE.retcode,
      echo: 7,
    });
    expect(answer.message).toMatch(
      /^upstream OneBot implementation at NATS subject onebot\.v11\.10000\.action .* is not connected/,
    );
  });

  it('never writes a token or password to a log or a status', async () => {
    const withSecrets = testbed.nats.url.replace('nats://', 'nats://someone:url-secret@');
    const origin = testbed.origin(
      { token: 'token-secret', user: 'someone', pass: 'pass-secret' },
      withSecrets,
    );
    await origin.bridge.start();
    const edge = testbed.edge({ token: 'token-secret' }, withSecrets);
    await edge.backend.start();
    origin.bus.publish(privateMessage(1));
    await until(() => edge.events.length === 1, 'one event');
    await testbed.nats.kill();
    await until(() => origin.bridge.status().connections === 0, 'the outage to be noticed');
    const seen = [
      origin.logger.text(),
      edge.logger.text(),
      JSON.stringify(origin.bridge.status()),
      JSON.stringify(edge.backend.status()),
    ].join('\n');
    expect(seen).toContain('127.0.0.1');
    for (const secret of ['url-secret', 'token-secret', 'pass-secret']) expect(seen).not.toContain(secret);
  });
});
