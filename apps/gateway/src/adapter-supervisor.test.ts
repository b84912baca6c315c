import { describe, expect, it } from 'vitest';
import { OneBotError, type Adapter, type AdapterEntry, type AdapterKind } from '@onebot-gateway/core';
import { createFakeBackend } from '@onebot-gateway/testkit';
import type { AdapterFactory, AdapterFactoryLoader } from './adapter-factories.js';
import { createAdapterSupervisor } from './adapter-supervisor.js';

interface FakeAdapter extends Adapter {
  events: string[];
}

/** Factories whose adapters record what happened to them; port 1 never starts. */
function recordingFactories(): { factories: Record<AdapterKind, AdapterFactoryLoader>; made: FakeAdapter[] } {
  const made: FakeAdapter[] = [];
  const factory: AdapterFactory = (initial) => {
    let config = initial;
    let state: 'idle' | 'running' | 'stopped' = 'idle';
    const adapter: FakeAdapter = {
      name: initial.name,
      kind: 'websocketServers',
      events: [],
      async start() {
        adapter.events.push('start');
        if (config.port === 1)
          throw new OneBotError('ADAPTER_START_FAILED', `${config.name}: port 1 is already in use`);
        state = 'running';
      },
      async stop() {
        adapter.events.push('stop');
        state = 'stopped';
      },
      async reload(next) {
        adapter.events.push(`reload:${String(next.port)}`);
        config = next;
      },
      status: () => ({
        state,
        address: `127.0.0.1:${String(config.port)}`,
        connections: 0,
        eventsSent: 0,
        actionsHandled: 0,
        errors: 0,
      }),
    };
    made.push(adapter);
    return adapter;
  };
  const factories = Object.fromEntries(
    (
      [
        'httpServers',
        'httpSseServers',
        'websocketServers',
        'httpClients',
        'websocketClients',
        'plugins',
      ] as const
    ).map((k) => [k, () => Promise.resolve(factory)]),
  ) as Record<AdapterKind, AdapterFactoryLoader>;
  return { factories, made };
}

function ws(name: string, port: number, extra: Record<string, unknown> = {}): AdapterEntry {
  return {
    kind: 'websocketServers',
    config: { name, enable: true, port, host: '127.0.0.1', ...extra },
  } as unknown as AdapterEntry;
}

describe('adapter supervisor', () => {
  function setup() {
    const backend = createFakeBackend();
    const { factories, made } = recordingFactories();
    const supervisor = createAdapterSupervisor(
      factories,
      { router: backend.router, bus: backend.bus, logger: backend.logger, selfId: () => 1 },
      { baseDir: '.' },
    );
    return { supervisor, made, backend };
  }

  it('applies a change by name: removed stop, new start, changed reload, untouched are left alone', async () => {
    const { supervisor, made } = setup();
    await supervisor.apply([ws('keep', 10), ws('change', 11), ws('remove', 12)]);
    const [keep, change, remove] = made;
    const result = await supervisor.apply([ws('keep', 10), ws('change', 21), ws('add', 13)]);
    expect(result).toMatchObject({
      started: ['add'],
      stopped: ['remove'],
      reloaded: ['change'],
      unchanged: ['keep'],
      failed: [],
    });
    expect(keep!.events).toEqual(['start']);
    expect(change!.events).toEqual(['start', 'reload:21']);
    expect(remove!.events).toEqual(['start', 'stop']);
    expect(supervisor.reports().map((r) => [r.name, r.address])).toEqual([
      ['keep', '127.0.0.1:10'],
      ['change', '127.0.0.1:21'],
      ['add', '127.0.0.1:13'],
    ]);
  });

  it('marks an adapter that cannot start as failed with the reason and keeps the others', async () => {
    const { supervisor, backend } = setup();
    const result = await supervisor.apply([ws('good', 10), ws('clash', 1)]);
    expect(result.failed).toEqual(['clash']);
    expect(result.reasons).toEqual({ clash: 'clash: port 1 is already in use' });
    const reports = supervisor.reports();
    expect(reports.find((r) => r.name === 'good')).toMatchObject({ status: 'running' });
    expect(reports.find((r) => r.name === 'clash')).toMatchObject({
      status: 'failed',
      lastError: 'clash: port 1 is already in use',
      errors: 1,
    });
    expect(backend.logger.text()).toMatch(
      /clash \(websocketServers\) failed to start: clash: port 1 is already in use/,
    );
  });

  it('logs one start line per adapter with name, kind, bound address and TLS', async () => {
    const { supervisor, backend } = setup();
    await supervisor.apply([ws('plain', 10), ws('secure', 11, { tls: { cert: 'c.pem', key: 'k.pem' } })]);
    const started = backend.logger.records.filter((r) => / \(websocketServers\): /.test(r.msg));
    expect(started.map((r) => r.msg).sort()).toEqual([
      'plain (websocketServers): listening on 127.0.0.1:10',
      'secure (websocketServers): listening on 127.0.0.1:11 (TLS)',
    ]);
    expect(started.find((r) => r.msg.startsWith('secure'))?.obj).toEqual({
      adapter: 'secure',
      kind: 'websocketServers',
      address: '127.0.0.1:11',
    });
  });

  it('retries a failed adapter from scratch when its entry changes', async () => {
    const { supervisor, made } = setup();
    await supervisor.apply([ws('clash', 1)]);
    const result = await supervisor.apply([ws('clash', 5)]);
    expect(result.started).toEqual(['clash']);
    expect(made).toHaveLength(2);
    expect(supervisor.reports()[0]).toMatchObject({ status: 'running', address: '127.0.0.1:5' });
  });

  it('counts a new entry that is disabled as stopped, so every name of the config has an outcome', async () => {
    const { supervisor, made } = setup();
    const result = await supervisor.apply([ws('on', 10), ws('off', 11, { enable: false })]);
    expect(result).toEqual({
      started: ['on'],
      stopped: ['off'],
      reloaded: [],
      unchanged: [],
      failed: [],
      reasons: {},
    });
    expect(made).toHaveLength(1);
  });

  it('stops an adapter that gets disabled and starts it again when enabled', async () => {
    const { supervisor, made } = setup();
    await supervisor.apply([ws('a', 10)]);
    await supervisor.apply([ws('a', 10, { enable: false })]);
    expect(made[0]!.events).toEqual(['start', 'stop']);
    expect(supervisor.reports()[0]).toMatchObject({ status: 'disabled', enable: false });
    await supervisor.apply([ws('a', 10)]);
    expect(made).toHaveLength(2);
    expect(supervisor.reports()[0]).toMatchObject({ status: 'running' });
  });

  it('never reports a token in a URL', async () => {
    const { supervisor } = setup();
    await supervisor.apply([
      {
        kind: 'websocketClients',
        config: { name: 'c', enable: false, url: 'ws://h:1/?access_token=s3cret' },
      } as unknown as AdapterEntry,
    ]);
    expect(JSON.stringify(supervisor.reports())).not.toMatch(/s3cret/);
  });

  it('warns when an adapter asks for a longer stop than the gateway gives it', async () => {
    const { supervisor, backend } = setup();
    await supervisor.apply([
      ws('patient', 10, { stopTimeout: 10_000 }),
      ws('quick', 11, { stopTimeout: 2_000 }),
    ]);
    const warnings = backend.logger.records.filter((r) => r.level === 'warn').map((r) => r.msg);
    expect(warnings).toEqual([
      'patient: stopTimeout 10000 ms is longer than the gateway gives an adapter to stop (3000 ms); shutdown will not wait for all of it',
    ]);
  });

  it('stops everything on stopAll', async () => {
    const { supervisor, made } = setup();
    await supervisor.apply([ws('a', 10), ws('b', 11)]);
    await supervisor.stopAll();
    expect(made.map((a) => a.events)).toEqual([
      ['start', 'stop'],
      ['start', 'stop'],
    ]);
    expect(supervisor.reports()).toEqual([]);
  });
});

describe('shutdown budget', () => {
  it('gives http-client its whole default stop and still fits the backend in the CLI deadline', async () => {
    const { DEFAULT_STOP_TIMEOUT_MS } = await import('@onebot-gateway/http-client');
    const { UPSTREAM_CLOSE_HANDSHAKE_MS } = await import('@onebot-gateway/backend-upstream');
    const { ADAPTER_STOP_LIMIT_MS, SHUTDOWN_DEADLINE_MS } = await import('./shutdown-budget.js');
    // A little room for closing sockets after http-client's own deadline.
    expect(DEFAULT_STOP_TIMEOUT_MS + 500).toBeLessThanOrEqual(ADAPTER_STOP_LIMIT_MS);
    expect(ADAPTER_STOP_LIMIT_MS + UPSTREAM_CLOSE_HANDSHAKE_MS + 500).toBeLessThanOrEqual(
      SHUTDOWN_DEADLINE_MS,
    );
  });
});
