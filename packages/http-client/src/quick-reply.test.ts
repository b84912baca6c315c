import { describe, expect, it } from 'vitest';
import { parseQuickOperation } from './quick-reply.js';

describe('parseQuickOperation', () => {
  it('returns a non-empty JSON object', () => {
    expect(parseQuickOperation(' {"reply":"hi","at_sender":false}\n')).toEqual({
      reply: 'hi',
      at_sender: false,
    });
  });
  it.each([undefined, '', '   ', '{}', '[]', '[{"reply":1}]', 'null', '1', '"x"', 'true', '{bad', 'OK'])(
    '%j means nothing to do',
    (body) => {
      expect(parseQuickOperation(body)).toBeUndefined();
    },
  );
});
