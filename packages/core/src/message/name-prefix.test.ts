import { describe, expect, it } from 'vitest';
import { encodeCq } from './cq-code.js';
import { codePrefix, paramPrefix } from './name-prefix.js';

describe('name prefixes', () => {
  it('writes the prefix for valid names and refuses invalid ones, cached or not', () => {
    for (let round = 0; round < 2; round++) {
      expect(codePrefix('face')).toBe('[CQ:face');
      expect(paramPrefix('id')).toBe(',id=');
      expect(codePrefix('my-ext.v2')).toBe('[CQ:my-ext.v2');
      expect(codePrefix('')).toBeUndefined();
      expect(codePrefix('a,b')).toBeUndefined();
      expect(paramPrefix('a=b')).toBeUndefined();
      expect(paramPrefix('ключ')).toBeUndefined();
    }
  });

  it('stays correct past the cache bound (many distinct and very long names)', () => {
    for (let index = 0; index < 3000; index++) {
      expect(encodeCq([{ type: `t${index}`, data: { [`k${index}`]: 'v,' } }])).toBe(
        `[CQ:t${index},k${index}=v&#44;]`,
      );
    }
    const long = 'n'.repeat(500);
    expect(encodeCq([{ type: long, data: { [long]: '1' } }])).toBe(`[CQ:${long},${long}=1]`);
    expect(encodeCq([{ type: 'x', data: { 'bad key': '[1]' } }])).toBe(
      '&#91;CQ:x,bad key=&amp;#91;1&amp;#93;&#93;',
    );
  });
});
