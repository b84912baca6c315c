import { describe, expect, it } from 'vitest';
import { useGatewayProcesses } from './support/fixture.js';
import { gatewayConfig, until } from './support/gateway-process.js';

describe('graceful shutdown of the real process', () => {
  const fixture = useGatewayProcesses();

  it('on SIGTERM posts lifecycle disable, closes everything and exits 0 within 5 s', async () => {
    const fake = await fixture.fakeUpstream();
    const target = await fixture.postReceiver();
    const gateway = await fixture.spawn(
      gatewayConfig(
        {
          httpServers: [{ name: 'api', enable: true, port: 0 }],
          websocketServers: [{ name: 'ws', enable: true, port: 0 }],
          httpClients: [{ name: 'push', enable: true, url: target.url, token: 'push-secret' }],
        },
        { backend: { type: 'upstream', url: fake.url } },
      ),
    );
    await until(() => target.received.some((r) => r.body.sub_type === 'enable'), 'lifecycle enable');
    expect((await gateway.admin('/api/health')).status).toBe(200);
    const client = await fixture.connect(gateway, 'ws');
    await client.next((f) => f.sub_type === 'connect');

    const { code, tookMs: took } = await gateway.terminate('SIGTERM');

    expect(code).toBe(0);
    expect(took).toBeLessThan(5_000);
    expect((await client.closed).code).toBe(1001);
    const lifecycle = target.received
      .filter((r) => r.body.meta_event_type === 'lifecycle')
      .map((r) => r.body.sub_type);
    expect(lifecycle).toEqual(['enable', 'disable']);
    expect(gateway.logs.some((line) => /gateway stopped/.test(line.msg))).toBe(true);
    // The upstream saw the relay go away.
    await until(() => fake.sockets.length === 0, 'the relay to disconnect from the upstream');
    expect(gateway.logs.map((l) => JSON.stringify(l)).join('\n')).not.toMatch(/push-secret/);
  });

  it('with a receiver that accepts but never answers, still posts disable, logs the dropped count and exits 0 within 5 s', async () => {
    // Reads each request, never answers: every POST waits, so the queue fills and stop must cut it short.
    const { url, received: hanging } = await fixture.postReceiver({ answer: false });
    const gateway = await fixture.spawn(
      gatewayConfig({ httpClients: [{ name: 'slow', enable: true, url, timeout: 30_000 }] }),
    );
    await until(
      () => hanging.some((r) => r.body.sub_type === 'enable'),
      'lifecycle enable to reach the receiver',
    );
    for (let i = 0; i < 3; i += 1) {
      const { status } = await gateway.post('/api/sandbox/messages', {
        message_type: 'group',
        user_id: 10001,
        group_id: 20001,
        message: `queued ${i}`,
      });
      expect(status).toBe(200);
    }

    const { code, tookMs: took } = await gateway.terminate('SIGTERM');

    expect(code).toBe(0);
    expect(took).toBeLessThan(5_000);
    // The receiver was sent disable (it never answered it, so it also counts as dropped).
    expect(hanging.filter((r) => r.body.meta_event_type === 'lifecycle').map((r) => r.body.sub_type)).toEqual(
      ['enable', 'disable'],
    );
    const summary = gateway.logs.find((line) => /^stopped posting events/.test(line.msg));
    expect(summary).toMatchObject({
      adapter: 'slow',
      dropped: 5,
      droppedByReason: { stopped: 4, timeout: 1 },
    });
    expect(summary!.msg).toBe('stopped posting events; 5 dropped in all (4 stopped, 1 timeout)');
    expect(gateway.logs.some((line) => /did not stop within/.test(line.msg))).toBe(false);
    expect(gateway.logs.some((line) => /gateway stopped/.test(line.msg))).toBe(true);
  });

  it('also shuts down cleanly on SIGINT, sent the moment it says it is up', async () => {
    const fake = await fixture.fakeUpstream();
    const gateway = await fixture.spawn(
      gatewayConfig(
        { httpServers: [{ name: 'api', enable: true, port: 0 }] },
        { backend: { type: 'upstream', url: fake.url } },
      ),
    );
    expect((await gateway.terminate('SIGINT')).code).toBe(0);
  });
});
