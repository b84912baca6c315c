import { describe, expect, it } from 'vitest';
import type { OneBotEvent } from '@onebot-gateway/core';
import { actionSubject, eventSubject, subjectToken } from './subjects.js';

describe('subjects', () => {
  it('keys events by account, post type and detail', () => {
    const event = {
      post_type: 'notice',
      notice_type: 'group_increase',
      self_id: 1,
    } as unknown as OneBotEvent;
    expect(eventSubject('onebot.v11', 10000, event)).toBe('onebot.v11.10000.event.notice.group_increase');
    expect(eventSubject('p', 1, { post_type: 'message_sent' } as unknown as OneBotEvent)).toBe(
      'p.1.event.message_sent',
    );
    expect(actionSubject('onebot.v11', 10000)).toBe('onebot.v11.10000.action');
  });

  it('never lets an event field change the subject: wildcards, dots and spaces become "_"', () => {
    expect(subjectToken('a.b')).toBe('a_b');
    expect(subjectToken('*')).toBe('_');
    expect(subjectToken('>')).toBe('_');
    expect(subjectToken('two words')).toBe('two_words');
    expect(subjectToken('')).toBe('unknown');
    expect(subjectToken(undefined)).toBe('unknown');
    expect(subjectToken({})).toBe('unknown');
    const hostile = { post_type: 'message.>', message_type: 'private *' } as unknown as OneBotEvent;
    expect(eventSubject('onebot.v11', 1, hostile)).toBe('onebot.v11.1.event.message__.private__');
  });
});
