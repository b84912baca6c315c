import { describe, expect, it } from 'vitest';
import { createHeartbeatEvent, createLifecycleEvent } from '../bus/meta-events.js';
import type { OneBotEvent } from '../types/events.js';
import { compileEventFilter, eventFilterOf, eventPassesFilter, passesFilterQuery } from './event-filter.js';
import { InvalidFilterError } from './validate-query.js';

const BOT = 10001;

function groupMessage(overrides: Record<string, unknown> = {}): OneBotEvent {
  return {
    time: 1700000000,
    self_id: BOT,
    post_type: 'message',
    message_type: 'group',
    sub_type: 'normal',
    message_id: 1,
    group_id: 123,
    user_id: 20002,
    message: `[CQ:at,qq=${BOT}] hello`,
    message_format: 'string',
    raw_message: `[CQ:at,qq=${BOT}] hello`,
    font: 0,
    sender: { user_id: 20002, nickname: 'Alice', role: 'member' },
    ...overrides,
  };
}

/** The typical filter of the README and the benchmark. */
const typical = {
  group_id: { $in: [123, 456] },
  message: { $elemMatch: { type: 'at', 'data.qq': String(BOT) } },
};

describe('eventPassesFilter', () => {
  it('matches "@ the bot" against the array form of an event published as a CQ string', () => {
    const filter = compileEventFilter(typical);
    expect(filter.readsMessage).toBe(true);
    expect(eventPassesFilter(filter, groupMessage())).toBe(true);
    expect(eventPassesFilter(filter, groupMessage({ message: '[CQ:at,qq=999] hello' }))).toBe(false);
    expect(eventPassesFilter(filter, groupMessage({ group_id: 789 }))).toBe(false);
    // The string itself would never match $elemMatch: the array form is what is matched.
    expect(filter.matches(groupMessage())).toBe(false);
  });

  it('treats a number and the string spelling it as equal (segment data, quoted ids)', () => {
    const numericAt = groupMessage({ message: [{ type: 'at', data: { qq: BOT } }] });
    expect(eventPassesFilter(compileEventFilter(typical), numericAt)).toBe(true);
    const quotedIds = compileEventFilter({ group_id: { $in: ['123'] }, user_id: '20002' });
    expect(eventPassesFilter(quotedIds, groupMessage())).toBe(true);
    expect(eventPassesFilter(quotedIds, groupMessage({ group_id: 1234 }))).toBe(false);
    expect(eventPassesFilter(compileEventFilter({ group_id: { $nin: ['123'] } }), groupMessage())).toBe(
      false,
    );
  });

  it('evaluates the documented operators and dotted paths', () => {
    const event = groupMessage();
    const passes = (query: Record<string, unknown>) => eventPassesFilter(compileEventFilter(query), event);
    expect(passes({ 'sender.role': { $in: ['admin', 'owner'] } })).toBe(false);
    expect(passes({ 'sender.role': 'member', time: { $gte: 1700000000, $lt: 1800000000 } })).toBe(true);
    expect(passes({ raw_message: { $regex: 'HELLO$', $options: 'i' } })).toBe(true);
    expect(passes({ anonymous: { $exists: true } })).toBe(false);
    expect(passes({ $or: [{ group_id: 1 }, { user_id: { $ne: 1 } }] })).toBe(true);
    expect(passes({ $nor: [{ group_id: 123 }] })).toBe(false);
    expect(passes({ group_id: { $not: { $gt: 100 } } })).toBe(false);
    expect(passes({ $and: [{ message: { $size: 2 } }, { message: { $elemMatch: { type: 'text' } } }] })).toBe(
      true,
    );
  });

  it('gives $elemMatch the same answers on its fast path and where a path meets an array', () => {
    const withTags = groupMessage({
      message: [
        { type: 'text', data: { text: 'a' } },
        { type: 'mface', data: { tags: ['x', 'y'], id: 7 } },
      ],
    });
    const passes = (query: Record<string, unknown>) => eventPassesFilter(compileEventFilter(query), withTags);
    expect(passes({ message: { $elemMatch: { type: 'mface', 'data.tags': 'y' } } })).toBe(true);
    expect(passes({ message: { $elemMatch: { type: 'text', 'data.tags': 'y' } } })).toBe(false);
    expect(passes({ message: { $elemMatch: { type: 'mface', 'data.id': '7' } } })).toBe(true);
    expect(passes({ message: { $elemMatch: { type: 'mface', 'data.missing': null } } })).toBe(true);
    expect(passes({ message: { $elemMatch: { type: 'at' } } })).toBe(false);
    expect(passes({ message: { $elemMatch: { 'data.id': { $gt: 5 } } } })).toBe(true);
    expect(passes({ raw_message: { $elemMatch: { type: 'text' } } })).toBe(false);
  });

  it('decides fields holding arrays like MongoDB (any element), also for the plain top-level keys', () => {
    const tagged = groupMessage({ tags: ['a', 'b'] });
    expect(eventPassesFilter(compileEventFilter({ tags: 'b' }), tagged)).toBe(true);
    expect(eventPassesFilter(compileEventFilter({ tags: { $in: ['x', 'a'] } }), tagged)).toBe(true);
    expect(eventPassesFilter(compileEventFilter({ tags: { $in: ['x'] } }), tagged)).toBe(false);
    expect(eventPassesFilter(compileEventFilter({ group_id: null }), groupMessage())).toBe(false);
    expect(eventPassesFilter(compileEventFilter({ anonymous: null }), groupMessage())).toBe(true);
  });

  it('lets meta events through a filter that does not name post_type', () => {
    const filter = compileEventFilter(typical);
    expect(filter.namesPostType).toBe(false);
    expect(eventPassesFilter(filter, createLifecycleEvent(BOT, 'connect'))).toBe(true);
    expect(eventPassesFilter(filter, createHeartbeatEvent(BOT, 5000, { online: true, good: true }))).toBe(
      true,
    );
  });

  it('matches meta events like any other once post_type is named, anywhere in the query', () => {
    const heartbeat = createHeartbeatEvent(BOT, 5000, { online: true, good: true });
    const onlyMessages = compileEventFilter({ $or: [{ post_type: 'message' }, { notice_type: 'poke' }] });
    expect(onlyMessages.namesPostType).toBe(true);
    expect(eventPassesFilter(onlyMessages, heartbeat)).toBe(false);
    expect(eventPassesFilter(onlyMessages, createLifecycleEvent(BOT, 'connect'))).toBe(false);
    expect(eventPassesFilter(onlyMessages, groupMessage())).toBe(true);
    const notHeartbeats = compileEventFilter({
      post_type: { $exists: true },
      meta_event_type: { $ne: 'heartbeat' },
    });
    expect(eventPassesFilter(notHeartbeats, heartbeat)).toBe(false);
    expect(eventPassesFilter(notHeartbeats, createLifecycleEvent(BOT, 'connect'))).toBe(true);
  });

  it('does not convert the message for a filter that does not read it', () => {
    let converted = 0;
    const arrayForm = () => {
      converted += 1;
      return groupMessage();
    };
    eventPassesFilter(compileEventFilter({ group_id: 123 }), groupMessage(), arrayForm);
    expect(converted).toBe(0);
    eventPassesFilter(compileEventFilter(typical), groupMessage(), arrayForm);
    expect(converted).toBe(1);
  });
});

describe('eventFilterOf', () => {
  it('compiles each query once, shares it between equal queries, and means "no filter" for null and undefined', () => {
    const query = { group_id: 1 };
    expect(eventFilterOf(query)).toBe(eventFilterOf(query));
    expect(eventFilterOf({ group_id: 1 })).toBe(eventFilterOf(query));
    expect(eventFilterOf({ group_id: 2 })).not.toBe(eventFilterOf(query));
    expect(eventFilterOf(undefined)).toBeUndefined();
    expect(eventFilterOf(null)).toBeUndefined();
  });

  it('throws InvalidFilterError naming the operator', () => {
    expect(() => eventFilterOf({ a: { $foo: 1 } })).toThrow(InvalidFilterError);
    try {
      eventFilterOf({ a: { $regex: '[' } });
    } catch (error) {
      expect((error as InvalidFilterError).operator).toBe('$regex');
    }
    expect(() => eventFilterOf({ a: { $options: 'i' } })).toThrow('operator "$options" needs "$regex"');
  });
});

describe('passesFilterQuery (events adapters make themselves)', () => {
  it('lets everything through without a filter and nothing through a broken one', () => {
    const connect = createLifecycleEvent(BOT, 'connect');
    expect(passesFilterQuery(undefined, connect)).toBe(true);
    expect(passesFilterQuery(null, connect)).toBe(true);
    expect(passesFilterQuery({ post_type: 'message' }, connect)).toBe(false);
    expect(passesFilterQuery({ post_type: { $bad: 1 } }, connect)).toBe(false);
    expect(passesFilterQuery({ group_id: 1 }, connect)).toBe(true);
  });
});
