import { expect } from 'vitest';
import { FAKE_SELF_ID } from '../fake-backend.js';
import type { ConformanceCase } from './case-types.js';

type Frame = Record<string, unknown>;

/** Events (protocol.md section 2): lifecycle, formats, filters, self messages, heartbeats. */
export const eventCases: ConformanceCase[] = [
  {
    group: 'events',
    name: (caps) => `starts every stream with lifecycle ${caps.lifecycle}`,
    needs: ['receivesEvents', 'lifecycle'],
    async run(t) {
      const h = await t.start();
      const stream = await h.events({ skipLifecycle: false });
      const first = await stream.next(t.timeoutMs);
      expect(first).toMatchObject({
        post_type: 'meta_event',
        meta_event_type: 'lifecycle',
        sub_type: t.caps.lifecycle,
        self_id: FAKE_SELF_ID,
      });
      expect(typeof first.time).toBe('number');
    },
  },
  {
    group: 'events',
    name: 'delivers message events in array format with the required fields, in order',
    needs: ['receivesEvents'],
    async run(t) {
      const h = await t.start({ messagePostFormat: 'array' });
      const stream = await h.events();
      t.backend.emitMessage({ message_id: 501 });
      t.backend.emitMessage({ message_type: 'group', message_id: 502 });
      const first = await t.nextNonHeartbeat(stream);
      expect(first).toMatchObject({
        post_type: 'message',
        message_type: 'private',
        message_id: 501,
        self_id: FAKE_SELF_ID,
        message: [{ type: 'text', data: { text: 'hello' } }],
        message_format: 'array',
        raw_message: 'hello',
        font: 0,
        sender: { user_id: 20002, nickname: 'Alice' },
      });
      expect(typeof first.time).toBe('number');
      expect(await t.nextNonHeartbeat(stream)).toMatchObject({
        message_type: 'group',
        message_id: 502,
        group_id: 30003,
      });
    },
  },
  {
    group: 'events',
    name: 'delivers message events in string format as CQ strings',
    needs: ['receivesEvents'],
    async run(t) {
      const h = await t.start({ messagePostFormat: 'string' });
      const stream = await h.events();
      t.backend.emitMessage({
        message: [
          { type: 'text', data: { text: 'a[b]' } },
          { type: 'face', data: { id: '1' } },
        ],
      });
      expect(await t.nextNonHeartbeat(stream)).toMatchObject({
        post_type: 'message',
        message: 'a&#91;b&#93;[CQ:face,id=1]',
        message_format: 'string',
      });
    },
  },
  {
    group: 'events',
    name: 'delivers only the events its filter matches (group whitelist and "@ the bot"), whatever its format',
    needs: ['receivesEvents'],
    async run(t) {
      const atBot = [
        { type: 'at', data: { qq: String(FAKE_SELF_ID) } },
        { type: 'text', data: { text: ' hi' } },
      ];
      // The stream's lifecycle event is consumed first: meta events pass a filter that does not name post_type.
      const h = await t.start({
        messagePostFormat: 'string',
        filter: {
          group_id: { $in: [30003, 30010] },
          message: { $elemMatch: { type: 'at', 'data.qq': String(FAKE_SELF_ID) } },
        },
      });
      const stream = await h.events();
      t.backend.emitMessage({ message_id: 701, message: atBot }); // private: no group_id
      t.backend.emitMessage({ message_type: 'group', message_id: 702 }); // listed group, no @
      t.backend.emitMessage({ message_type: 'group', group_id: 30004, message_id: 703, message: atBot });
      // A backend that writes the id as a number is matched by the quoted id too.
      t.backend.emitMessage({
        message_type: 'group',
        group_id: 30003,
        message_id: 704,
        message: [{ type: 'at', data: { qq: FAKE_SELF_ID } }],
      });
      t.backend.emitMessage({ message_type: 'group', group_id: 30010, message_id: 705, message: atBot });
      expect(await t.nextNonHeartbeat(stream)).toMatchObject({
        message_id: 704,
        message: `[CQ:at,qq=${FAKE_SELF_ID}]`,
        message_format: 'string',
      });
      expect(await t.nextNonHeartbeat(stream)).toMatchObject({ message_id: 705, group_id: 30010 });
    },
  },
  {
    group: 'events',
    name: 'holds back heartbeats when its filter names post_type and does not match them',
    needs: ['receivesEvents', 'heartbeat'],
    async run(t) {
      const h = await t.start({
        heartInterval: 20,
        filter: { $or: [{ post_type: 'message' }, { meta_event_type: 'lifecycle' }] },
      });
      const stream = await h.events();
      // Absence can only be shown by waiting: several heartbeat intervals pass with nothing sent.
      await new Promise((resolve) => setTimeout(resolve, 150));
      t.backend.emitMessage({ message_id: 711 });
      expect(await stream.next(t.timeoutMs)).toMatchObject({ post_type: 'message', message_id: 711 });
    },
  },
  {
    group: 'events',
    name: 'does not report the bot’s own messages unless reportSelfMessage is on',
    needs: ['receivesEvents'],
    async run(t) {
      const h = await t.start({ reportSelfMessage: false });
      const stream = await h.events();
      t.backend.emitSelfMessage({ message_id: 601 });
      t.backend.emitMessage({ message_id: 602 });
      expect(await t.nextNonHeartbeat(stream)).toMatchObject({ post_type: 'message', message_id: 602 });
    },
  },
  {
    group: 'events',
    name: 'reports the bot’s own messages as message_sent when reportSelfMessage is on',
    needs: ['receivesEvents'],
    async run(t) {
      const h = await t.start({ reportSelfMessage: true });
      const stream = await h.events();
      t.backend.emitSelfMessage({ message_id: 701 });
      expect(await t.nextNonHeartbeat(stream)).toMatchObject({
        post_type: 'message_sent',
        message_id: 701,
        self_id: FAKE_SELF_ID,
      });
    },
  },
  {
    group: 'events',
    name: 'sends heartbeat meta events with exact types every heartInterval',
    needs: ['receivesEvents', 'heartbeat'],
    async run(t) {
      const h = await t.start({ heartInterval: 150 });
      const stream = await h.events();
      const startedAt = Date.now();
      let beat: Frame | undefined;
      for (let i = 0; i < 5 && !beat; i++) {
        const event = await stream.next(t.timeoutMs);
        if (event.meta_event_type === 'heartbeat') beat = event;
      }
      expect(beat).toBeDefined();
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(100);
      expect(beat).toMatchObject({ post_type: 'meta_event', self_id: FAKE_SELF_ID, interval: 150 });
      expect(typeof beat!.interval).toBe('number');
      expect(typeof beat!.time).toBe('number');
      const status = beat!.status as Record<string, unknown>;
      expect(typeof status.online).toBe('boolean');
      expect(typeof status.good).toBe('boolean');
    },
  },
  {
    group: 'events',
    name: 'keeps sending heartbeats, marked offline, while the backend cannot report its status',
    needs: ['receivesEvents', 'heartbeat'],
    async run(t) {
      const h = await t.start({ heartInterval: 100 });
      const stream = await h.events();
      t.backend.statusError = new Error('status store is gone');
      let beat: Frame | undefined;
      for (let i = 0; i < 5 && !beat; i++) {
        const event = await stream.next(t.timeoutMs);
        if (event.meta_event_type === 'heartbeat' && (event.status as { online?: unknown }).online === false)
          beat = event;
      }
      expect(beat).toMatchObject({ self_id: FAKE_SELF_ID, status: { online: false, good: false } });
      t.backend.statusError = undefined;
      t.backend.emitMessage({ message_id: 702 });
      expect(await t.nextNonHeartbeat(stream)).toMatchObject({ post_type: 'message', message_id: 702 });
    },
  },
];
