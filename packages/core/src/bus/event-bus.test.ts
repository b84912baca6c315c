import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRecordingLogger } from '../../test/helpers/recording-logger.js';
import { encodeCq, parseCq } from '../message/cq-code.js';
import type { OneBotEvent } from '../types/events.js';
import type { MessageFormat, Segment } from '../types/segments.js';
import { createEventBus, formatEvent, type DeliveredEvent, type EventSubscription } from './event-bus.js';

/** What the bus logged at error level. */
const errorsOf = (logger: ReturnType<typeof createRecordingLogger>) =>
  logger.records.filter((record) => record.level === 'error');

const segments: Segment[] = [
  { type: 'text', data: { text: 'hi ' } },
  { type: 'face', data: { id: '1' } },
];

function messageEvent(overrides: Record<string, unknown> = {}): OneBotEvent {
  return {
    time: 1700000000,
    self_id: 10001,
    post_type: 'message',
    message_type: 'private',
    sub_type: 'friend',
    message_id: 1,
    user_id: 20002,
    message: segments,
    raw_message: 'hi [CQ:face,id=1]',
    font: 0,
    sender: { user_id: 20002, nickname: 'Alice' },
    ...overrides,
  };
}

const notice: OneBotEvent = {
  time: 1700000000,
  self_id: 10001,
  post_type: 'notice',
  notice_type: 'group_recall',
  group_id: 1,
  user_id: 2,
  operator_id: 2,
  message_id: 3,
};

function collect(bus: ReturnType<typeof createEventBus>, subscription: EventSubscription): DeliveredEvent[] {
  const received: DeliveredEvent[] = [];
  bus.subscribe(subscription, (delivered) => received.push(delivered));
  return received;
}

afterEach(() => vi.restoreAllMocks());

describe('encoding once per format', () => {
  it('serialises a message event once per format however many subscribers read it', () => {
    const bus = createEventBus();
    const views: DeliveredEvent[][] = [];
    for (let i = 0; i < 10; i++) {
      for (const format of ['array', 'string'] as MessageFormat[]) {
        views.push(collect(bus, { format, reportSelfMessage: false }));
      }
    }
    const stringify = vi.spyOn(JSON, 'stringify');
    bus.publish(messageEvent());
    for (const [delivered] of views) {
      void delivered!.json;
      void delivered!.buffer;
      void delivered!.buffer;
    }
    expect(stringify).toHaveBeenCalledTimes(2);
  });

  it('hands the same Buffer and string to every subscriber of a format, and different ones across formats', () => {
    const bus = createEventBus();
    const arrays = [
      collect(bus, { format: 'array', reportSelfMessage: false }),
      collect(bus, { format: 'array', reportSelfMessage: true }),
    ];
    const strings = [
      collect(bus, { format: 'string', reportSelfMessage: false }),
      collect(bus, { format: 'string', reportSelfMessage: false }),
    ];
    bus.publish(messageEvent());
    const [a1, a2] = arrays.map((r) => r[0]!);
    const [s1, s2] = strings.map((r) => r[0]!);
    expect(a1!.buffer).toBe(a2!.buffer);
    expect(a1!.json).toBe(a2!.json);
    expect(a1!.event).toBe(a2!.event);
    expect(s1!.buffer).toBe(s2!.buffer);
    expect(a1!.buffer).not.toBe(s1!.buffer);
    expect(a1!.buffer.toString('utf8')).toBe(a1!.json);
    expect(JSON.parse(a1!.json)).toEqual({ ...messageEvent(), message_format: 'array' });
    expect(JSON.parse(s1!.json)).toEqual({
      ...messageEvent(),
      message: encodeCq(segments),
      message_format: 'string',
    });
  });

  it('serialises nothing when no subscriber reads the bytes', () => {
    const bus = createEventBus();
    collect(bus, { format: 'array', reportSelfMessage: false });
    const stringify = vi.spyOn(JSON, 'stringify');
    bus.publish(messageEvent());
    expect(stringify).not.toHaveBeenCalled();
  });

  it('shares one encoding between both formats for an event without a message', () => {
    const bus = createEventBus();
    const array = collect(bus, { format: 'array', reportSelfMessage: false });
    const string = collect(bus, { format: 'string', reportSelfMessage: false });
    const stringify = vi.spyOn(JSON, 'stringify');
    bus.publish(notice);
    expect(array[0]!.buffer).toBe(string[0]!.buffer);
    expect(stringify).toHaveBeenCalledTimes(1);
    expect(array[0]!.event).toBe(notice);
    expect(JSON.parse(array[0]!.json)).not.toHaveProperty('message_format');
  });

  it('encodes each event afresh: no bytes leak from one event to the next', () => {
    const bus = createEventBus();
    const received = collect(bus, { format: 'array', reportSelfMessage: false });
    bus.publish(messageEvent({ message_id: 1 }));
    bus.publish(messageEvent({ message_id: 2 }));
    expect(received.map((d) => JSON.parse(d.json).message_id)).toEqual([1, 2]);
  });
});

describe('self messages', () => {
  it('reach only subscribers with reportSelfMessage, flagged as self messages', () => {
    const bus = createEventBus();
    const quiet = collect(bus, { format: 'array', reportSelfMessage: false });
    const reporting = collect(bus, { format: 'string', reportSelfMessage: true });
    bus.publish(messageEvent({ post_type: 'message_sent', user_id: 10001 }));
    bus.publish(messageEvent());
    expect(quiet.map((d) => d.event.post_type)).toEqual(['message']);
    expect(reporting.map((d) => [d.event.post_type, d.isSelfMessage])).toEqual([
      ['message_sent', true],
      ['message', false],
    ]);
    expect(reporting[0]!.event.message).toBe(encodeCq(segments));
  });

  it('keeps subscription order across formats for self messages, and a removal mid-delivery applies to them too', () => {
    const bus = createEventBus();
    const order: string[] = [];
    let unsubscribeLast: () => void = () => {};
    bus.subscribe({ format: 'string', reportSelfMessage: true }, (d) => {
      order.push(`s1:${typeof d.event.message}`);
      unsubscribeLast();
    });
    bus.subscribe({ format: 'array', reportSelfMessage: false }, () => order.push('quiet'));
    bus.subscribe({ format: 'array', reportSelfMessage: true }, (d) =>
      order.push(`a2:${typeof d.event.message}`),
    );
    unsubscribeLast = bus.subscribe({ format: 'string', reportSelfMessage: true }, () => order.push('s3'));
    bus.publish(messageEvent({ post_type: 'message_sent' }));
    bus.publish(messageEvent());
    expect(order).toEqual(['s1:string', 'a2:object', 's1:string', 'quiet', 'a2:object']);
    expect(bus.subscriberCount()).toBe(3);
  });

  it('reads the subscription once: changing the object afterwards changes nothing', () => {
    const bus = createEventBus();
    const subscription: EventSubscription = { format: 'array', reportSelfMessage: false };
    const received = collect(bus, subscription);
    subscription.reportSelfMessage = true;
    bus.publish(messageEvent({ post_type: 'message_sent' }));
    expect(received).toEqual([]);
  });
});

describe('subscriber isolation', () => {
  it('keeps delivering to the others when one subscriber throws, and logs the error', () => {
    const logger = createRecordingLogger();
    const bus = createEventBus({ logger });
    const before = collect(bus, { format: 'array', reportSelfMessage: false });
    bus.subscribe({ format: 'array', reportSelfMessage: false }, () => {
      throw new Error('subscriber bug');
    });
    const after = collect(bus, { format: 'array', reportSelfMessage: false });
    expect(() => bus.publish(notice)).not.toThrow();
    expect(before).toHaveLength(1);
    expect(after).toHaveLength(1);
    expect(errorsOf(logger)).toHaveLength(1);
    expect((errorsOf(logger)[0]!.obj.err as Error).message).toBe('subscriber bug');
  });

  it('starts a subscriber added during delivery with the next event', () => {
    const bus = createEventBus();
    const late: DeliveredEvent[] = [];
    let added = false;
    bus.subscribe({ format: 'array', reportSelfMessage: false }, () => {
      if (added) return;
      added = true;
      bus.subscribe({ format: 'array', reportSelfMessage: false }, (d) => late.push(d));
    });
    bus.publish(notice);
    expect(late).toHaveLength(0);
    bus.publish(messageEvent());
    expect(late).toHaveLength(1);
    expect(bus.subscriberCount()).toBe(2);
  });

  it('stops a subscriber removed during delivery at once, even for the event under way', () => {
    const bus = createEventBus();
    const order: string[] = [];
    let unsubscribeB: () => void = () => {};
    bus.subscribe({ format: 'array', reportSelfMessage: false }, () => {
      order.push('a');
      unsubscribeB();
    });
    unsubscribeB = bus.subscribe({ format: 'array', reportSelfMessage: false }, () => order.push('b'));
    const c = collect(bus, { format: 'array', reportSelfMessage: false });
    bus.publish(notice);
    bus.publish(notice);
    expect(order).toEqual(['a', 'a']);
    expect(c).toHaveLength(2);
    expect(bus.subscriberCount()).toBe(2);
  });

  it('lets a subscriber unsubscribe itself, and unsubscribing twice is harmless', () => {
    const bus = createEventBus();
    let count = 0;
    const unsubscribe = bus.subscribe({ format: 'string', reportSelfMessage: false }, () => {
      count++;
      unsubscribe();
    });
    const other = bus.subscribe({ format: 'string', reportSelfMessage: false }, () => {});
    bus.publish(notice);
    bus.publish(notice);
    unsubscribe();
    expect(count).toBe(1);
    expect(bus.subscriberCount()).toBe(1);
    other();
    expect(bus.subscriberCount()).toBe(0);
  });

  it('delivers synchronously, in subscription order', () => {
    const bus = createEventBus();
    const order: number[] = [];
    for (const n of [1, 2, 3])
      bus.subscribe({ format: n === 2 ? 'string' : 'array', reportSelfMessage: false }, () => order.push(n));
    bus.publish(notice);
    expect(order).toEqual([1, 2, 3]);
  });
});

describe('publishing from inside a subscriber', () => {
  it('delivers the nested event after the current one, so every subscriber sees publish order', () => {
    const bus = createEventBus();
    const first: unknown[] = [];
    const second: unknown[] = [];
    bus.subscribe({ format: 'array', reportSelfMessage: true }, (d) => {
      first.push(d.event.post_type);
      // A plugin reacting synchronously: the backend publishes its own message at once.
      if (d.event.post_type === 'message') bus.publish(messageEvent({ post_type: 'message_sent' }));
    });
    bus.subscribe({ format: 'array', reportSelfMessage: true }, (d) => second.push(d.event.post_type));
    bus.publish(messageEvent());
    expect(first).toEqual(['message', 'message_sent']);
    expect(second).toEqual(['message', 'message_sent']);
  });

  it('stops a publish loop with a logged drop instead of hanging or overflowing the stack', () => {
    const logger = createRecordingLogger();
    const bus = createEventBus({ logger });
    let deliveries = 0;
    bus.subscribe({ format: 'array', reportSelfMessage: false }, () => {
      deliveries++;
      bus.publish(notice);
    });
    bus.publish(notice);
    expect(deliveries).toBe(10_001);
    expect(errorsOf(logger).length).toBeGreaterThan(0);
    expect(errorsOf(logger)[0]!.msg).toContain('publish loop');
    // The bus is usable again afterwards.
    const after = collect(bus, { format: 'array', reportSelfMessage: false });
    bus.subscribe({ format: 'array', reportSelfMessage: false }, () => {});
    expect(after).toEqual([]);
  });
});

describe('events that cannot be encoded', () => {
  it('tries once, logs once, and still delivers the formats that work', () => {
    const logger = createRecordingLogger();
    const bus = createEventBus({ logger });
    const readers = Array.from({ length: 5 }, () => {
      const got: string[] = [];
      bus.subscribe({ format: 'array', reportSelfMessage: false }, (d) => got.push(d.json));
      return got;
    });
    const stringSide = collect(bus, { format: 'string', reportSelfMessage: false });
    const stringify = vi.spyOn(JSON, 'stringify');
    // A BigInt in a field JSON cannot carry; the string view never serialises here.
    bus.publish(messageEvent({ big: 10n }));
    expect(stringify).toHaveBeenCalledTimes(1);
    expect(readers.flat()).toEqual([]);
    expect(stringSide).toHaveLength(1);
    expect(errorsOf(logger)).toHaveLength(1);
    expect((errorsOf(logger)[0]!.obj.err as Error).message).toMatch(
      /could not serialise a message.private event/,
    );
  });

  it('survives a logger that throws', () => {
    const logger = createRecordingLogger();
    logger.error = () => {
      throw new Error('logger down');
    };
    const bus = createEventBus({ logger });
    bus.subscribe({ format: 'array', reportSelfMessage: false }, () => {
      throw new Error('bug');
    });
    const other = collect(bus, { format: 'array', reportSelfMessage: false });
    expect(() => bus.publish(notice)).not.toThrow();
    expect(other).toHaveLength(1);
  });
});

describe('formatEvent', () => {
  it('turns segments into the CQ string the codec produces, and sets message_format', () => {
    const event = messageEvent();
    const formatted = formatEvent(event, 'string');
    expect(formatted.message).toBe(encodeCq(segments));
    expect(formatted.message).toBe('hi [CQ:face,id=1]');
    expect(formatted.message_format).toBe('string');
    expect(formatted.raw_message).toBe(event.raw_message);
  });

  it('turns a CQ string into the segments the codec produces', () => {
    const event = messageEvent({ message: 'a&#91;b[CQ:at,qq=123]' });
    const formatted = formatEvent(event, 'array');
    expect(formatted.message).toEqual(parseCq('a&#91;b[CQ:at,qq=123]'));
    expect(formatted.message).toEqual([
      { type: 'text', data: { text: 'a[b' } },
      { type: 'at', data: { qq: '123' } },
    ]);
    expect(formatted.message_format).toBe('array');
  });

  it('keeps a message that is already in the wanted form, and never mutates the input', () => {
    const event = messageEvent();
    const snapshot = structuredClone(event);
    const formatted = formatEvent(event, 'array');
    formatEvent(event, 'string');
    expect(formatted.message).toBe(segments);
    expect(formatted).not.toBe(event);
    expect(event).toEqual(snapshot);
    expect(formatEvent(messageEvent({ message: 'plain' }), 'string').message).toBe('plain');
  });

  it('wraps a single segment object a backend published by mistake', () => {
    const one = { type: 'text', data: { text: 'x' } };
    expect(formatEvent(messageEvent({ message: one }), 'array').message).toEqual([one]);
    expect(formatEvent(messageEvent({ message: one }), 'string').message).toBe('x');
  });

  it('returns events without a message as they are, in both formats', () => {
    for (const format of ['array', 'string'] as MessageFormat[]) {
      expect(formatEvent(notice, format)).toBe(notice);
      const noMessage = { ...messageEvent(), message: undefined };
      expect(formatEvent(noMessage, format)).toBe(noMessage);
    }
  });

  it('is what subscribers of each format receive, for a self message too', () => {
    const bus = createEventBus();
    const array = collect(bus, { format: 'array', reportSelfMessage: true });
    const string = collect(bus, { format: 'string', reportSelfMessage: true });
    const event = messageEvent({ post_type: 'message_sent', message: 'hi [CQ:face,id=1]' });
    bus.publish(event);
    expect(array[0]!.event).toEqual(formatEvent(event, 'array'));
    expect(string[0]!.event).toEqual(formatEvent(event, 'string'));
  });
});

describe('event filters', () => {
  const toGroup = (groupId: number, message: unknown = segments) =>
    messageEvent({ message_type: 'group', sub_type: 'normal', group_id: groupId, message });

  it('delivers only matching events to a filtered subscriber; the others get everything', () => {
    const bus = createEventBus();
    const query = { group_id: { $in: [1, 2] } };
    const filtered = collect(bus, { format: 'array', reportSelfMessage: false, filter: () => query });
    const everything = collect(bus, { format: 'array', reportSelfMessage: false });
    for (const groupId of [1, 3, 2]) bus.publish(toGroup(groupId));
    bus.publish(notice); // a recall in group 1: any event kind with a matching field passes
    expect(filtered.map((d) => d.event.group_id)).toEqual([1, 2, 1]);
    expect(everything.map((d) => d.event.group_id)).toEqual([1, 3, 2, 1]);
  });

  it('costs a filtered-out subscriber no conversion and no serialisation of its format', () => {
    const bus = createEventBus();
    let cqWrites = 0;
    // encodeCq writes an object data value with its String(): this counts conversions to the string format.
    const counting = { toString: () => String(++cqWrites) };
    const received: DeliveredEvent[] = [];
    const onlyGroup2 = { group_id: 2 };
    bus.subscribe({ format: 'string', reportSelfMessage: false, filter: () => onlyGroup2 }, (delivered) => {
      received.push(delivered);
      void delivered.json;
    });
    const stringify = vi.spyOn(JSON, 'stringify');
    bus.publish(toGroup(1, [{ type: 'face', data: { id: counting } }]));
    expect(received).toEqual([]);
    expect(cqWrites).toBe(0);
    expect(stringify).not.toHaveBeenCalled();
  });

  it('matches the array form whatever the subscriber format, and converts a CQ string once for all', () => {
    const bus = createEventBus();
    const atBot = { message: { $elemMatch: { type: 'at', 'data.qq': '10001' } } };
    const string = collect(bus, { format: 'string', reportSelfMessage: false, filter: () => atBot });
    const array = collect(bus, { format: 'array', reportSelfMessage: false, filter: () => atBot });
    bus.publish(toGroup(1, 'no mention'));
    bus.publish(toGroup(1, '[CQ:at,qq=10001] hi'));
    expect(string.map((d) => d.event.message)).toEqual(['[CQ:at,qq=10001] hi']);
    expect(array.map((d) => d.event.message)).toEqual([parseCq('[CQ:at,qq=10001] hi')]);
  });

  it('reads the filter per event: a changed filter applies to the next event without resubscribing', () => {
    const bus = createEventBus();
    let query: Record<string, unknown> | undefined = { group_id: 1 };
    const received = collect(bus, { format: 'array', reportSelfMessage: false, filter: () => query });
    bus.publish(toGroup(1));
    bus.publish(toGroup(2));
    query = { group_id: 2 };
    bus.publish(toGroup(1));
    bus.publish(toGroup(2));
    query = undefined;
    bus.publish(toGroup(3));
    expect(received.map((d) => d.event.group_id)).toEqual([1, 2, 3]);
    expect(bus.subscriberCount()).toBe(1);
  });

  it('passes meta events unless the filter names post_type', () => {
    const bus = createEventBus();
    const heartbeat = { ...notice, post_type: 'meta_event', meta_event_type: 'heartbeat' } as OneBotEvent;
    const byGroup = collect(bus, {
      format: 'array',
      reportSelfMessage: false,
      filter: () => ({ group_id: 9 }),
    });
    const byType = collect(bus, {
      format: 'array',
      reportSelfMessage: false,
      filter: () => ({ post_type: 'message' }),
    });
    bus.publish(heartbeat);
    expect(byGroup).toHaveLength(1);
    expect(byType).toHaveLength(0);
  });

  it('delivers nothing through a filter that cannot be compiled, and logs it once', () => {
    const logger = createRecordingLogger();
    const bus = createEventBus({ logger });
    const broken = { a: { $nope: 1 } };
    const received = collect(bus, { format: 'array', reportSelfMessage: false, filter: () => broken });
    bus.publish(toGroup(1));
    bus.publish(notice);
    expect(received).toEqual([]);
    expect(errorsOf(logger)).toHaveLength(1);
  });
});

describe('publishedCount', () => {
  it('counts each delivered event once, however many subscribers got it, and without any subscriber', () => {
    const bus = createEventBus();
    bus.publish(messageEvent());
    expect(bus.publishedCount()).toBe(1);
    const seen: string[] = [];
    bus.subscribe({ format: 'array', reportSelfMessage: true }, () => seen.push('array'));
    bus.subscribe({ format: 'string', reportSelfMessage: true }, () => {
      seen.push('string');
      // Published from inside a subscriber: delivered after this one, and counted too.
      if (seen.length === 2) bus.publish(messageEvent());
    });
    bus.publish(messageEvent());
    expect(seen).toEqual(['array', 'string', 'array', 'string']);
    expect(bus.publishedCount()).toBe(3);
  });
});
