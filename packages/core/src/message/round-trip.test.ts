/**
 * Property tests for the round-trip laws of protocol.md section 5.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Segment } from '../types/segments.js';
import { encodeCq, parseCq } from './cq-code.js';
import { escapeCqParam, escapeCqText, unescapeCq } from './escape.js';
import { canonicalSegments } from './segment-data.js';

const RUNS = { numRuns: 300 };

// Text that is likely to hit every escaping rule: CQ syntax fragments,
// entities (real and almost-real), astral characters and lone surrogates.
const tricky = fc.constantFrom(
  '[',
  ']',
  '&',
  ',',
  '=',
  ':',
  'CQ',
  '[CQ:',
  '[CQ:face,id=1]',
  '&amp;',
  '&#91;',
  '&#93;',
  '&#44;',
  '&#9',
  '&amp',
  '😀',
  '👨‍👩‍👧',
  'é',
  '\ud83d',
  '\ude00',
  ' ',
  '\n',
);
const anyUtf16 = fc.string({
  unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
});
const textValue = fc.oneof(
  fc.string({ unit: fc.oneof(tricky, fc.string({ unit: 'grapheme', maxLength: 1 })) }),
  fc.string({ unit: 'binary' }), // any code point
  anyUtf16, // any UTF-16 unit, lone surrogates included
);
const cqName = fc.stringMatching(/^[A-Za-z0-9_.-]{1,8}$/);
const dataValue = fc.oneof(textValue, fc.integer(), fc.boolean(), fc.constant(undefined), fc.constant(null));

const textSegment = textValue.map((value): Segment => ({ type: 'text', data: { text: value } }));
const codeSegment = fc
  .record({
    type: cqName.filter((name) => name !== 'text'),
    data: fc.dictionary(cqName, dataValue, { maxKeys: 4 }),
  })
  .map((segment): Segment => segment);
const flatSegments = fc.array(fc.oneof(textSegment, codeSegment), { maxLength: 8 });
// A custom forward node whose content is itself a segment array.
const nodeSegment = fc
  .record({
    uin: fc.integer({ min: 1 }),
    name: textValue,
    content: flatSegments.filter((content) => content.length > 0),
  })
  .map((data): Segment => ({ type: 'node', data }));
const segments = fc.array(fc.oneof(textSegment, codeSegment, nodeSegment), { maxLength: 10 });

describe('round-trip laws', () => {
  it('array -> string -> array is the identity after normalising data to strings', () => {
    fc.assert(
      fc.property(segments, (input) => {
        expect(parseCq(encodeCq(input))).toEqual(canonicalSegments(input));
      }),
      RUNS,
    );
  });

  it('string -> array -> string is the identity for every well-formed CQ string', () => {
    fc.assert(
      fc.property(segments, (input) => {
        const wellFormed = encodeCq(input);
        expect(encodeCq(parseCq(wellFormed))).toBe(wellFormed);
      }),
      RUNS,
    );
  });

  it('nested forward content survives as a CQ string that parses back to the content', () => {
    fc.assert(
      fc.property(nodeSegment, (node) => {
        const [parsed] = parseCq(encodeCq([node]));
        const content = node.data.content as Segment[];
        expect(parseCq(parsed!.data.content as string)).toEqual(canonicalSegments(content));
      }),
      RUNS,
    );
  });
});

describe('arbitrary input', () => {
  const cqLike = fc.string({
    unit: fc.oneof(tricky, fc.constantFrom('a', 'b', '1', 'x=', ',k=', '-', '_', '.')),
  });

  it('parsing is total and a fixed point after one normalising trip', () => {
    fc.assert(
      fc.property(fc.oneof(cqLike, textValue), (input) => {
        const once = parseCq(input);
        expect(parseCq(encodeCq(once))).toEqual(once);
        // No empty or adjacent text segments.
        once.forEach((segment, index) => {
          if (segment.type !== 'text') return;
          expect(segment.data.text).not.toBe('');
          expect(once[index + 1]?.type).not.toBe('text');
        });
      }),
      RUNS,
    );
  });

  it('input without a `]` is never dropped: it is all one text segment', () => {
    fc.assert(
      fc.property(
        cqLike.map((input) => input.replaceAll(']', '')),
        (input) => {
          expect(parseCq(input)).toEqual(
            input === '' ? [] : [{ type: 'text', data: { text: unescapeCq(input) } }],
          );
        },
      ),
      RUNS,
    );
  });

  it('unescape inverts both escapes', () => {
    fc.assert(
      fc.property(textValue, (value) => {
        expect(unescapeCq(escapeCqText(value))).toBe(value);
        expect(unescapeCq(escapeCqParam(value))).toBe(value);
        expect(escapeCqParam(value)).not.toMatch(/[[\],]/);
      }),
      RUNS,
    );
  });
});
