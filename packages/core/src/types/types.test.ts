import { describe, expect, expectTypeOf, it } from 'vitest';
import type {
  ActionMap,
  ActionParams,
  ActionResult,
  EventBase,
  GroupMessageEvent,
  HeartbeatMetaEvent,
  MessageEventBase,
  MessageIdResult,
  NodeSegment,
  NoticeEvent,
  OneBotEvent,
  Segment,
  SegmentMap,
  SegmentOf,
  StandardEvent,
  StandardSegment,
} from '../index.js';
import {
  asStandardEvent,
  isMessageEvent,
  isMessageSentEvent,
  isMetaEvent,
  isNoticeEvent,
  isRequestEvent,
} from './guards.js';

/*
 * These checks run in `tsc -p tsconfig.test.json` (part of `pnpm test`); the
 * runtime assertions below only keep vitest from calling the file empty.
 * Each one fails to compile if the types regress.
 */

/** Routes the event the way a user's handler would; compiles only if narrowing works. */
function describeEvent(event: StandardEvent): string {
  switch (event.post_type) {
    case 'message':
    case 'message_sent':
      return event.message_type === 'group'
        ? `group ${event.group_id} ${event.sender.card ?? ''}`
        : `private ${event.user_id}`;
    case 'notice':
      switch (event.notice_type) {
        case 'group_ban':
          return `ban ${event.duration}`;
        case 'notify':
          return event.sub_type === 'poke' ? `poke ${event.target_id}` : `notify ${event.sub_type}`;
        case 'group_upload':
          return `upload ${event.file.name}`;
        default:
          return event.notice_type;
      }
    case 'request':
      return event.request_type === 'group'
        ? `group request ${event.sub_type} ${event.flag}`
        : `friend ${event.comment}`;
    case 'meta_event':
      return event.meta_event_type === 'heartbeat'
        ? `heartbeat ${event.interval}`
        : `lifecycle ${event.sub_type}`;
  }
}

const groupMessage: GroupMessageEvent = {
  time: 1700000000,
  self_id: 10001,
  post_type: 'message',
  message_type: 'group',
  sub_type: 'normal',
  message_id: 7,
  user_id: 20002,
  group_id: 30003,
  anonymous: null,
  message: [{ type: 'text', data: { text: 'hi' } }],
  raw_message: 'hi',
  font: 0,
  sender: { user_id: 20002, nickname: 'Alice', card: 'A', role: 'member' },
};

describe('event types', () => {
  it('precise events are assignable to the loose OneBotEvent adapters use', () => {
    expectTypeOf<StandardEvent>().toExtend<OneBotEvent>();
    expectTypeOf<GroupMessageEvent>().toExtend<MessageEventBase>();
    expectTypeOf<NoticeEvent>().toExtend<EventBase>();
    expectTypeOf<HeartbeatMetaEvent['interval']>().toEqualTypeOf<number>();
    const loose: OneBotEvent = groupMessage;
    expect(loose.post_type).toBe('message');
  });

  it('narrow on post_type, detail type and sub_type', () => {
    expect(describeEvent(groupMessage)).toBe('group 30003 A');
    expect(
      describeEvent({
        time: 1,
        self_id: 1,
        post_type: 'notice',
        notice_type: 'notify',
        sub_type: 'poke',
        user_id: 2,
        target_id: 3,
      }),
    ).toBe('poke 3');
    expect(
      describeEvent({
        time: 1,
        self_id: 1,
        post_type: 'meta_event',
        meta_event_type: 'heartbeat',
        interval: 5000,
        status: { online: true, good: true },
      }),
    ).toBe('heartbeat 5000');
  });

  it('rejects events with wrong field types', () => {
    const bad: HeartbeatMetaEvent = {
      time: 1,
      self_id: 1,
      post_type: 'meta_event',
      meta_event_type: 'heartbeat',
      // @ts-expect-error interval is a number, never a string
      interval: '5000',
      status: { online: true, good: true },
    };
    expect(bad.meta_event_type).toBe('heartbeat');
  });
});

describe('segment types', () => {
  it('every precise segment is a plain Segment too', () => {
    expectTypeOf<StandardSegment>().toExtend<Segment>();
    expectTypeOf<SegmentOf<'music'>>().toExtend<Segment>();
    expectTypeOf<keyof SegmentMap>().toEqualTypeOf<
      | 'text'
      | 'face'
      | 'image'
      | 'record'
      | 'video'
      | 'at'
      | 'rps'
      | 'dice'
      | 'shake'
      | 'poke'
      | 'anonymous'
      | 'share'
      | 'contact'
      | 'location'
      | 'music'
      | 'reply'
      | 'forward'
      | 'node'
      | 'xml'
      | 'json'
      | 'mface'
      | 'markdown'
      | 'file'
    >();
  });

  it('accepts forward nodes in both spellings and by id', () => {
    const nodes: NodeSegment[] = [
      { type: 'node', data: { id: '123' } },
      { type: 'node', data: { user_id: 1, nickname: 'A', content: 'hi' } },
      { type: 'node', data: { uin: '1', name: 'A', content: [{ type: 'text', data: { text: 'hi' } }] } },
    ];
    const loose: Segment[] = nodes;
    expect(loose).toHaveLength(3);
  });

  it('narrows on type', () => {
    const segment = { type: 'at', data: { qq: 'all' } } as StandardSegment;
    if (segment.type === 'at') expectTypeOf(segment.data.qq).toEqualTypeOf<string | number>();
    // @ts-expect-error text data needs `text`
    const bad: SegmentOf<'text'> = { type: 'text', data: {} };
    expect(bad.type).toBe('text');
  });
});

describe('action types', () => {
  it('maps names to params and results', () => {
    expectTypeOf<ActionParams<'send_group_msg'>>().toExtend<{ group_id: number }>();
    expectTypeOf<ActionResult<'send_msg'>>().toEqualTypeOf<MessageIdResult>();
    expectTypeOf<ActionResult<'get_login_info'>>().toEqualTypeOf<{ user_id: number; nickname: string }>();
    expectTypeOf<ActionMap['get_version_info']['result']['protocol_version']>().toEqualTypeOf<string>();
    // A typed `call` the way the plugin package declares it.
    const call = <A extends keyof ActionMap>(action: A, params: ActionParams<A>): [A, ActionParams<A>] => [
      action,
      params,
    ];
    expect(call('set_group_ban', { group_id: 1, user_id: 2, duration: 60 })[0]).toBe('set_group_ban');
    // @ts-expect-error group_id is required
    call('send_group_msg', { message: 'hi' });
  });
});

describe('event guards', () => {
  it('narrow a loose OneBotEvent to the precise types', () => {
    const loose: OneBotEvent = groupMessage;
    expect(isMessageEvent(loose)).toBe(true);
    if (isMessageEvent(loose)) {
      expectTypeOf(loose.message_type).toEqualTypeOf<'private' | 'group'>();
      if (loose.message_type === 'group') expect(loose.group_id).toBe(30003);
    }
    const request: OneBotEvent = {
      time: 1,
      self_id: 1,
      post_type: 'request',
      request_type: 'friend',
      user_id: 2,
      comment: '',
      flag: 'f',
    };
    expect(
      [isNoticeEvent, isRequestEvent, isMetaEvent, isMessageSentEvent].map((guard) => guard(request)),
    ).toEqual([false, true, false, false]);
    const standard = asStandardEvent(request);
    expect(standard.post_type === 'request' && standard.request_type === 'friend' ? standard.flag : '').toBe(
      'f',
    );
  });
});
