import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import type { BackendStatus } from '../adapter.js';
import type { HeartbeatMetaEvent, LifecycleMetaEvent, OneBotEvent } from '../types/events.js';
import { createHeartbeatEvent, createLifecycleEvent, heartbeatJson } from './meta-events.js';

afterEach(() => vi.useRealTimers());

describe('createLifecycleEvent', () => {
  it.each(['connect', 'enable', 'disable'] as const)(
    'builds the exact %s event, time in whole seconds',
    (subType) => {
      vi.useFakeTimers({ now: 1_700_000_000_999 });
      const event = createLifecycleEvent(10001, subType);
      expect(event).toStrictEqual({
        time: 1_700_000_000,
        self_id: 10001,
        post_type: 'meta_event',
        meta_event_type: 'lifecycle',
        sub_type: subType,
      });
      expectTypeOf(event).toEqualTypeOf<LifecycleMetaEvent>();
      const loose: OneBotEvent = event;
      expect(loose.post_type).toBe('meta_event');
    },
  );
});

describe('createHeartbeatEvent', () => {
  it('builds the exact heartbeat: interval a number, status booleans, extra status kept', () => {
    vi.useFakeTimers({ now: 1_700_000_123_456 });
    const event = createHeartbeatEvent(10001, 30000, {
      online: true,
      good: false,
      stat: { packet_received: 5 },
    });
    expect(event).toStrictEqual({
      time: 1_700_000_123,
      self_id: 10001,
      post_type: 'meta_event',
      meta_event_type: 'heartbeat',
      status: { online: true, good: false, stat: { packet_received: 5 } },
      interval: 30000,
    });
    expect(JSON.stringify(event)).toContain('"interval":30000');
    expectTypeOf(event).toEqualTypeOf<HeartbeatMetaEvent>();
  });

  it('keeps the types exact even when an untyped caller passes strings and numbers', () => {
    const sloppy = { online: 1, good: '' } as unknown as BackendStatus;
    const event = createHeartbeatEvent(10001, '5000' as unknown as number, sloppy);
    expect(event.interval).toBe(5000);
    expect(event.status.online).toBe(true);
    expect(event.status.good).toBe(false);
    expect(createHeartbeatEvent(1, Number.NaN, { online: true, good: true }).interval).toBe(0);
  });

  it('does not share the status object with the caller', () => {
    const status: BackendStatus = { online: true, good: true };
    const event = createHeartbeatEvent(1, 1000, status);
    status.online = false;
    expect(event.status.online).toBe(true);
  });

  it('replaces a status that nests too deep or cannot be JSON by {online, good}, and says why', () => {
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    const throwingGetter = {
      online: true,
      good: true,
      get stat(): never {
        throw new Error('stat unavailable');
      },
    };
    const cases: Array<[BackendStatus, RegExp]> = [
      [{ online: true, good: true, deep }, /nests deeper than 127 levels/],
      [{ online: true, good: false, big: 1n }, /cannot be written as JSON/],
      [throwingGetter as BackendStatus, /cannot be written as JSON \(stat unavailable\)/],
    ];
    for (const [status, why] of cases) {
      const problems: string[] = [];
      const event = createHeartbeatEvent(1, 1000, status, (reason) => problems.push(reason));
      expect(event.status).toStrictEqual({ online: true, good: status.good === true });
      expect(problems).toEqual([expect.stringMatching(why)]);
      expect(() => JSON.stringify(event)).not.toThrow();
    }
  });

  it('keeps a status of exactly 127 levels (the heartbeat is then 128 deep)', () => {
    let nested: Record<string, unknown> = {};
    for (let i = 1; i < 126; i++) nested = { a: nested };
    const event = createHeartbeatEvent(1, 1000, { online: true, good: true, nested });
    expect(event.status.nested).toStrictEqual(nested);
    const tooDeep = createHeartbeatEvent(1, 1000, { online: true, good: true, nested: { a: nested } });
    expect(tooDeep.status).toStrictEqual({ online: true, good: true });
  });
});

describe('heartbeatJson', () => {
  it('never throws: a throwing status() or selfId() still gives a sane heartbeat and a reason', () => {
    const problems: string[] = [];
    const json = heartbeatJson(
      () => {
        throw new Error('no id');
      },
      5000,
      () => {
        throw new Error('no status');
      },
      (reason) => problems.push(reason),
    );
    expect(JSON.parse(json)).toMatchObject({
      self_id: 0,
      meta_event_type: 'heartbeat',
      interval: 5000,
      status: { online: false, good: false },
    });
    expect(problems).toEqual([
      'the backend could not report its self_id',
      'the backend could not report its status',
    ]);
  });
});
