import { describe, expect, it } from 'vitest';
import type { FakeBackend } from '@onebot-gateway/testkit';
import type { AdapterContext, DurableEventSource } from '@onebot-gateway/core';
import { createHttpClientAdapter, resolveHttpClientConfig } from '../src/index.js';
import { isLifecycle, isMessage } from './helpers/receiver.js';
import { useFixtures } from './helpers/fixtures.js';

const { defer, receiver, backend } = useFixtures();

const stopSummaries = (b: FakeBackend): string[] =>
  b.logger.records.filter((x) => x.msg.startsWith('stopped posting events')).map((x) => x.msg);

describe('http-client: start, stop and reload, one at a time', () => {
  it('a reload asked for while start is under way takes effect once the adapter runs', async () => {
    const first = await receiver();
    const second = await receiver();
    const b = backend();
    const adapter = createHttpClientAdapter({ url: first.url }, b.context('post'));
    defer(() => adapter.stop());
    const starting = adapter.start();
    const reloading = adapter.reload(resolveHttpClientConfig({ name: 'post', url: second.url }));
    await Promise.all([starting, reloading]);
    expect(adapter.status()).toMatchObject({ state: 'running', url: second.url });
    b.emitMessage({ message_id: 41 });
    await second.until((reqs) => reqs.some(isMessage));
    expect(first.requests.filter(isMessage)).toHaveLength(0);
  });

  it('a stop asked for while start is under way runs after it: enable, then disable, then stopped', async () => {
    const r = await receiver();
    const b = backend();
    const adapter = createHttpClientAdapter({ url: r.url }, b.context('post'));
    await Promise.all([adapter.start(), adapter.stop()]);
    expect(adapter.status().state).toBe('stopped');
    expect(r.requests.map((q) => q.json.sub_type)).toEqual(['enable', 'disable']);
    expect(stopSummaries(b)).toEqual(['stopped posting events; none dropped']);
    // Started again after the stop: a second enable, nothing left of the first run.
    await adapter.start();
    await r.until((reqs) => reqs.filter(isLifecycle('enable')).length === 2);
    await adapter.stop();
    expect(r.requests.map((q) => q.json.sub_type)).toEqual(['enable', 'disable', 'enable', 'disable']);
  });

  it('each failed start is recorded once, and a stop after a start that failed before posting anything is quiet', async () => {
    const r = await receiver();
    const b = backend();
    // The fake backend keeps no JetStream log: `durable` cannot start on it.
    const adapter = createHttpClientAdapter({ url: r.url, durable: true }, b.context('post'));
    await expect(Promise.all([adapter.start(), adapter.start()])).rejects.toThrow(/needs an edge gateway/);
    expect(adapter.status()).toMatchObject({ state: 'failed', errors: 2, queued: 0, inFlight: 0 });
    await adapter.stop();
    expect(adapter.status().state).toBe('stopped');
    expect(stopSummaries(b)).toEqual([]);
    expect(r.requests).toHaveLength(0);
    // Fixed by a reload while stopped, it starts.
    await adapter.reload(resolveHttpClientConfig({ name: 'post', url: r.url, durable: false }));
    await adapter.start();
    await r.until((reqs) => reqs.some(isLifecycle('enable')));
    await adapter.stop();
  });

  it('a start that fails after enable went out tells the endpoint disable and holds nothing', async () => {
    const r = await receiver();
    const b = backend();
    const refusing: DurableEventSource = {
      readSince: () => Promise.resolve({ events: [], more: false }),
      subscribe: () => Promise.reject(new Error('the JetStream consumer could not be created')),
    };
    const context: AdapterContext = { ...b.context('post'), durableEvents: refusing };
    const adapter = createHttpClientAdapter({ url: r.url, durable: true }, context);
    await expect(adapter.start()).rejects.toThrow('the JetStream consumer could not be created');
    expect(adapter.status()).toMatchObject({
      state: 'failed',
      errors: 1,
      lastError: 'the JetStream consumer could not be created',
      queued: 0,
      inFlight: 0,
    });
    expect(r.requests.map((q) => q.json.sub_type)).toEqual(['enable', 'disable']);
    expect(stopSummaries(b)).toEqual(['stopped posting events; none dropped']);
    // Nothing left running: a stop now has nothing to do and says nothing more.
    await adapter.stop();
    expect(stopSummaries(b)).toHaveLength(1);
  });
});
