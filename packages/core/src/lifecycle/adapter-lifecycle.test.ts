import { describe, expect, it } from 'vitest';
import { createAdapterLifecycle } from './adapter-lifecycle.js';

function recorder(options: { failOpen?: () => boolean } = {}) {
  const calls: string[] = [];
  const errors: unknown[] = [];
  let openNow = 0;
  const lifecycle = createAdapterLifecycle({
    async open() {
      calls.push('open');
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (options.failOpen?.()) throw new Error('port 1 in use');
      openNow += 1;
    },
    async close() {
      calls.push('close');
      await new Promise((resolve) => setTimeout(resolve, 5));
      openNow = 0;
    },
    onError: (error) => errors.push(error),
  });
  return { lifecycle, calls, errors, open: () => openNow };
}

describe('createAdapterLifecycle', () => {
  it('opens once however often start is called, and stop is idempotent', async () => {
    const { lifecycle, calls } = recorder();
    expect(lifecycle.state).toBe('idle');
    await Promise.all([lifecycle.start(), lifecycle.start(), lifecycle.start()]);
    expect(lifecycle.state).toBe('running');
    await Promise.all([lifecycle.stop(), lifecycle.stop()]);
    await lifecycle.stop();
    expect(lifecycle.state).toBe('stopped');
    expect(calls).toEqual(['open', 'close']);
  });

  it('does not run stop on an adapter that never started', async () => {
    const { lifecycle, calls } = recorder();
    await lifecycle.stop();
    expect(lifecycle.state).toBe('idle');
    expect(calls).toEqual([]);
  });

  it('runs transitions one at a time in the order asked', async () => {
    const { lifecycle, calls, open } = recorder();
    const order: string[] = [];
    const start = lifecycle.start().then(() => order.push('start'));
    const reload = lifecycle
      .serially(async () => {
        order.push(`reload sees ${lifecycle.state}`);
        await lifecycle.reopen();
      })
      .then(() => order.push('reload'));
    const stop = lifecycle.stop().then(() => order.push('stop'));
    await Promise.all([start, reload, stop]);
    expect(order).toEqual(['start', 'reload sees running', 'reload', 'stop']);
    expect(calls).toEqual(['open', 'close', 'open', 'close']);
    expect(open()).toBe(0);
  });

  it('records a failed open once, cleans up after it, and can start again', async () => {
    let fail = true;
    const { lifecycle, calls, errors } = recorder({ failOpen: () => fail });
    await expect(lifecycle.start()).rejects.toThrow('port 1 in use');
    expect(lifecycle.state).toBe('failed');
    expect(errors).toHaveLength(1);
    expect(calls).toEqual(['open', 'close']);
    fail = false;
    await lifecycle.start();
    expect(lifecycle.state).toBe('running');
    expect(errors).toHaveLength(1);
  });

  it('keeps going after a step rejects', async () => {
    const { lifecycle } = recorder();
    await expect(lifecycle.serially(() => Promise.reject(new Error('bad reload')))).rejects.toThrow(
      'bad reload',
    );
    await lifecycle.start();
    expect(lifecycle.state).toBe('running');
  });

  it('stops a failed adapter', async () => {
    const { lifecycle, calls } = recorder({ failOpen: () => true });
    await lifecycle.start().catch(() => undefined);
    await lifecycle.stop();
    expect(lifecycle.state).toBe('stopped');
    expect(calls).toEqual(['open', 'close', 'close']);
  });

  it('with beginAtOnce, a transition asked for while idle begins inside the call, later ones still wait', async () => {
    const order: string[] = [];
    const lifecycle = createAdapterLifecycle(
      {
        async open() {
          order.push('open begins');
          await new Promise((resolve) => setTimeout(resolve, 5));
          order.push('open ends');
        },
        async close() {
          order.push('close');
        },
      },
      { beginAtOnce: true },
    );
    const started = lifecycle.start();
    order.push('start returned');
    const stopped = lifecycle.stop();
    order.push('stop returned');
    await Promise.all([started, stopped]);
    expect(order).toEqual(['open begins', 'start returned', 'stop returned', 'open ends', 'close']);
    const again = lifecycle.start();
    expect(order.at(-1)).toBe('open begins');
    await again;
    // Right after an awaited transition the lifecycle is idle again: the next one begins inside the call.
    await lifecycle.stop();
    void lifecycle.start();
    expect(order.at(-1)).toBe('open begins');
    await lifecycle.start();
    expect(lifecycle.state).toBe('running');
    await expect(lifecycle.serially(() => Promise.reject(new Error('bad reload')))).rejects.toThrow(
      'bad reload',
    );
    let ran = false;
    const step = lifecycle.serially(async () => {
      ran = true;
    });
    expect(ran).toBe(true);
    await step;
  });
});

describe('createAdapterLifecycle stopped()', () => {
  it('is told after a stop closed the adapter, never after a reopen or a no-op stop', async () => {
    const told: string[] = [];
    const lifecycle = createAdapterLifecycle({
      open: async () => undefined,
      close: async () => void told.push('close'),
      stopped: () => told.push('stopped'),
    });
    await lifecycle.stop();
    await lifecycle.start();
    await lifecycle.serially(() => lifecycle.reopen());
    await lifecycle.stop();
    await lifecycle.stop();
    expect(told).toEqual(['close', 'close', 'stopped']);
  });
});
