import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeCqParam, escapeCqText, unescapeCq } from './escape.js';

describe('escapeCqText', () => {
  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['a&b', 'a&amp;b'],
    ['[x]', '&#91;x&#93;'],
    ['a,b', 'a,b'], // commas stay literal in text
    ['&#91;', '&amp;#91;'], // & first, so an existing entity is preserved literally
    ['&amp;', '&amp;amp;'],
    ['[CQ:face,id=1]', '&#91;CQ:face,id=1&#93;'],
    ['😀[]😀', '😀&#91;&#93;😀'],
  ])('%j -> %j', (input, expected) => {
    expect(escapeCqText(input)).toBe(expected);
  });

  it('returns the very same string when nothing needs escaping', () => {
    const text = 'nothing special here, 你好 =)';
    expect(escapeCqText(text)).toBe(text);
  });
});

describe('escapeCqParam', () => {
  it.each([
    ['a,b', 'a&#44;b'],
    ['k=v', 'k=v'], // `=` never needs escaping: a key ends at the first `=`
    ['&,[]', '&amp;&#44;&#91;&#93;'],
    ['https://x.invalid/a?b=1&c=2', 'https://x.invalid/a?b=1&amp;c=2'],
    ['', ''],
  ])('%j -> %j', (input, expected) => {
    expect(escapeCqParam(input)).toBe(expected);
  });
});

describe('unescapeCq', () => {
  it.each([
    ['&amp;#91;', '&#91;'], // &amp; decoded last: the literal entity survives
    ['&amp;amp;', '&amp;'],
    ['&#91;&#93;&#44;&amp;', '[],&'],
    ['a & b', 'a & b'], // a lone & is literal
    ['&#92;', '&#92;'], // unknown entity stays
    ['&#91', '&#91'], // unterminated entity stays
    ['&#9', '&#9'],
    ['&', '&'],
    ['&&#91;', '&['],
    ['&am&amp;p;', '&am&p;'], // a decoded & never starts a new entity
    ['&AMP;', '&AMP;'], // entities are case-sensitive
    ['😀&#91;😀', '😀[😀'],
  ])('%j -> %j', (input, expected) => {
    expect(unescapeCq(input)).toBe(expected);
  });

  it('matches the spec wording: ordered replacements with &amp; last', () => {
    const ordered = (s: string) =>
      s.replaceAll('&#44;', ',').replaceAll('&#91;', '[').replaceAll('&#93;', ']').replaceAll('&amp;', '&');
    for (const sample of ['&amp;#44;', '&#38;', '&amp;&#91;amp;', '&&&amp;#93;;', 'x&#44;&amp;#44;y']) {
      expect(unescapeCq(sample)).toBe(ordered(sample));
    }
  });

  it('is the inverse of both escapes', () => {
    const sample = 'a,b[c]&d&amp;#91;😀';
    expect(unescapeCq(escapeCqText(sample))).toBe(sample);
    expect(unescapeCq(escapeCqParam(sample))).toBe(sample);
  });
});

describe('escaping at every length (the scan strategy changes with the length)', () => {
  // The spec's wording: ordered replacements, `&` first.
  const orderedText = (s: string) =>
    s.replaceAll('&', '&amp;').replaceAll('[', '&#91;').replaceAll(']', '&#93;');
  const orderedParam = (s: string) => orderedText(s).replaceAll(',', '&#44;');
  const unit = fc.constantFrom('a', '&', '[', ']', ',', '=', '你', '😀', '#', ';', '\uD800');
  const strings = fc.oneof(
    fc.string({ unit, maxLength: 40 }),
    fc.string({ unit, minLength: 200, maxLength: 600 }),
  );

  it('matches the ordered replacements for any string', () => {
    fc.assert(
      fc.property(strings, (sample) => {
        expect(escapeCqText(sample)).toBe(orderedText(sample));
        expect(escapeCqParam(sample)).toBe(orderedParam(sample));
      }),
      { numRuns: 500 },
    );
  });

  it('handles a special character first, last or alone around each length boundary', () => {
    for (const length of [1, 2, 23, 24, 25, 255, 256, 257, 1000]) {
      for (const special of ['&', '[', ']', ',']) {
        for (const at of [0, Math.floor(length / 2), length - 1]) {
          const sample = 'x'.repeat(at) + special + 'y'.repeat(length - at - 1);
          expect(escapeCqText(sample)).toBe(orderedText(sample));
          expect(escapeCqParam(sample)).toBe(orderedParam(sample));
        }
      }
      const plain = 'z'.repeat(length);
      expect(escapeCqText(plain)).toBe(plain);
      expect(escapeCqParam(plain)).toBe(plain);
    }
  });
});

describe('escaping long texts full of specials (the chunked path)', () => {
  const orderedText = (s: string) =>
    s.replaceAll('&', '&amp;').replaceAll('[', '&#91;').replaceAll(']', '&#93;');
  const orderedParam = (s: string) => orderedText(s).replaceAll(',', '&#44;');
  const unit = fc.constantFrom('a', '&', '[', ']', ',', 'é', '你', '😀', '\uD800', '\uDC00');

  it('matches the ordered replacements across chunk boundaries, Latin-1 or not', () => {
    fc.assert(
      fc.property(fc.string({ unit, minLength: 8000, maxLength: 20_000 }), (sample) => {
        expect(escapeCqText(sample)).toBe(orderedText(sample));
        expect(escapeCqParam(sample)).toBe(orderedParam(sample));
      }),
      { numRuns: 20 },
    );
  });

  it('keeps a surrogate pair that straddles a chunk boundary, and a text that turns dense late', () => {
    for (const offset of [8190, 8191, 8192, 8193]) {
      const sample = '&'.repeat(offset) + '😀' + '[x],'.repeat(3000);
      expect(escapeCqText(sample)).toBe(orderedText(sample));
      expect(escapeCqParam(sample)).toBe(orderedParam(sample));
    }
    const lateDense = 'plain text, '.repeat(2000) + '&'.repeat(50_000) + 'é';
    expect(escapeCqText(lateDense)).toBe(orderedText(lateDense));
    expect(escapeCqParam(lateDense)).toBe(orderedParam(lateDense));
  });
});

describe('unescaping long texts full of entities (the chunked path)', () => {
  const ordered = (s: string) =>
    s.replaceAll('&#44;', ',').replaceAll('&#91;', '[').replaceAll('&#93;', ']').replaceAll('&amp;', '&');
  const piece = fc.constantFrom(
    '&amp;',
    '&#91;',
    '&#93;',
    '&#44;',
    '&',
    '&#9',
    'a',
    '你',
    '😀',
    '\uD800',
    ';',
  );

  it('matches the ordered replacements across chunk boundaries, Latin-1 or not', () => {
    fc.assert(
      fc.property(fc.array(piece, { minLength: 3000, maxLength: 8000 }), (pieces) => {
        const sample = pieces.join('');
        expect(unescapeCq(sample)).toBe(ordered(sample));
      }),
      { numRuns: 20 },
    );
  });

  it('decodes an entity that straddles a chunk boundary, and undoes either escape of a long text', () => {
    for (const offset of [8189, 8190, 8191, 8192, 8193]) {
      const sample = '&amp;'.repeat(100) + 'x'.repeat(offset) + '&#91;'.repeat(3000) + 'é';
      expect(unescapeCq(sample)).toBe(ordered(sample));
    }
    const text = '[&],'.repeat(20_000) + '😀';
    expect(unescapeCq(escapeCqText(text))).toBe(text);
    expect(unescapeCq(escapeCqParam(text))).toBe(text);
  });
});
