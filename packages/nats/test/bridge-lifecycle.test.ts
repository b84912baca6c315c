import { describe, expect, it } from 'vitest';
import { privateMessage, until, useNatsTestbed } from './support.js';

describe('origin bridge lifecycle', () => {
  const testbed = useNatsTestbed();

  it('starts once however often start is called, and carries events again after a stop and a start', async () => {
    const origin = testbed.origin();
    await Promise.all([origin.bridge.start(), origin.bridge.start()]);
    expect(origin.bridge.status()).toMatchObject({ state: 'running', connections: 1 });
    const edge = testbed.edge();
    await edge.backend.start();

    origin.bus.publish(privateMessage(1));
    await until(() => edge.events.length === 1, 'the first event on the edge');
    await Promise.all([origin.bridge.stop(), origin.bridge.stop()]);
    expect(origin.bridge.status()).toMatchObject({ state: 'stopped', connections: 0 });

    await origin.bridge.start();
    expect(origin.bridge.status()).toMatchObject({ state: 'running', connections: 1 });
    origin.bus.publish(privateMessage(2));
    await until(() => edge.events.length === 2, 'the event after the restart on the edge');
    expect(edge.events.map((event) => event.message_id)).toEqual([1, 2]);
  });

  it('fails a start with no usable server once, recorded in status, and stop after it is quiet', async () => {
    const origin = testbed.origin({ servers: [] });
    await expect(origin.bridge.start()).rejects.toThrow(/natsBridges "/);
    expect(origin.bridge.status()).toMatchObject({ state: 'failed', errors: 1 });
    await origin.bridge.stop();
    expect(origin.bridge.status().state).toBe('stopped');
  });
});
