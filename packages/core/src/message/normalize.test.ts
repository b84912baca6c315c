import { describe, expect, it } from 'vitest';
import { OneBotError } from '../errors.js';
import type { Segment } from '../types/segments.js';
import { readForwardNode } from './forward-node.js';
import { buildRawMessage, normalizeMessage, toCqString, toSegments } from './normalize.js';
import { canonicalSegments, normalizeSegmentData } from './segment-data.js';

const text = (value: string): Segment => ({ type: 'text', data: { text: value } });

function badRequestMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(OneBotError);
    expect((error as OneBotError).code).toBe('BAD_REQUEST');
    expect((error as OneBotError).retcode).toBe(1400);
    return (error as OneBotError).message;
  }
  throw new Error('expected a BAD_REQUEST OneBotError');
}

describe('toSegments', () => {
  it('parses strings, wraps one segment, keeps arrays', () => {
    expect(toSegments('hi[CQ:face,id=1]')).toEqual([text('hi'), { type: 'face', data: { id: '1' } }]);
    expect(toSegments({ type: 'face', data: { id: 1 } })).toEqual([{ type: 'face', data: { id: 1 } }]);
    const array = [text('a'), { type: 'dice', data: {} }];
    expect(toSegments(array)).toEqual(array);
  });

  it('fills missing or null data with {} without touching the input', () => {
    const input = [{ type: 'shake' }, { type: 'dice', data: null }];
    expect(toSegments(input)).toEqual([
      { type: 'shake', data: {} },
      { type: 'dice', data: {} },
    ]);
    expect(input[0]).toEqual({ type: 'shake' });
  });

  it.each<[string, unknown, RegExp]>([
    ['a number', 42, /message must be a CQ string, a segment .* or an array of segments; got a number/],
    ['null', null, /got null/],
    ['an item that is not an object', ['hi'], /message\[0\] must be a segment object .*got a string/],
    ['a missing type', [{ data: {} }], /message\[0\]\.type must be a non-empty string/],
    ['an empty type', [text('a'), { type: '', data: {} }], /message\[1\]\.type must be a non-empty string/],
    ['a non-string type', { type: 5, data: {} }, /message\.type must be a non-empty string.*got a number/],
    [
      'data that is an array',
      [{ type: 'x', data: [] }],
      /message\[0\]\.data must be an object of parameters, got an array/,
    ],
    ['data that is a string', [{ type: 'x', data: 'id=1' }], /message\[0\]\.data must be an object/],
    [
      'bad forward node content',
      [{ type: 'node', data: { uin: 1, name: 'a', content: [{ data: {} }] } }],
      /message\[0\]\.data\.content\[0\]\.type must be a non-empty string/,
    ],
  ])('refuses %s with a clear BAD_REQUEST', (_name, input, expected) => {
    expect(badRequestMessage(() => toSegments(input))).toMatch(expected);
  });

  it('accepts forward nodes in both spellings', () => {
    const nodes = [
      { type: 'node', data: { user_id: '1', nickname: 'a', content: 'hi[CQ:face,id=1]' } },
      { type: 'node', data: { uin: 2, name: 'b', content: [text('x')], time: 1700000000 } },
      { type: 'node', data: { uin: 3, name: 'c', content: { type: 'dice', data: {} } } },
      { type: 'node', data: { id: 123 } },
    ];
    expect(toSegments(nodes)).toEqual(nodes);
  });

  it('refuses forward content nested absurdly deep instead of overflowing the stack', () => {
    let content: unknown = [text('leaf')];
    for (let depth = 0; depth < 10_000; depth++)
      content = [{ type: 'node', data: { uin: 1, name: 'n', content } }];
    expect(badRequestMessage(() => toSegments(content))).toMatch(/nested more than 16 levels/);
  });
});

describe('readForwardNode', () => {
  it('reads the OneBot 11 and the go-cqhttp spelling into one shape', () => {
    expect(
      readForwardNode({ type: 'node', data: { user_id: 1, nickname: 'a', content: 'hi[CQ:face,id=1]' } }),
    ).toEqual({
      kind: 'custom',
      userId: '1',
      nickname: 'a',
      content: [text('hi'), { type: 'face', data: { id: '1' } }],
    });
    expect(
      readForwardNode({ type: 'node', data: { uin: '2', name: 'b', content: [text('x')], time: 17 } }),
    ).toEqual({
      kind: 'custom',
      userId: '2',
      nickname: 'b',
      content: [text('x')],
      time: '17',
    });
    expect(readForwardNode({ type: 'node', data: { id: 99 } })).toEqual({ kind: 'reference', id: '99' });
    expect(readForwardNode({ type: 'node', data: {} })).toBeUndefined();
    expect(readForwardNode(text('x'))).toBeUndefined();
  });
});

describe('normalizeMessage', () => {
  it('auto_escape sends a string as one text segment, CQ codes and all', () => {
    expect(normalizeMessage('a [CQ:face,id=1] &amp;', true)).toEqual([text('a [CQ:face,id=1] &amp;')]);
    expect(normalizeMessage('', true)).toEqual([]);
  });

  it('without auto_escape parses the string', () => {
    expect(normalizeMessage('a [CQ:face,id=1] &amp;')).toEqual([
      text('a '),
      { type: 'face', data: { id: '1' } },
      text(' &'),
    ]);
  });

  it('ignores auto_escape for segment input', () => {
    expect(normalizeMessage([text('[x]')], true)).toEqual([text('[x]')]);
    expect(normalizeMessage({ type: 'face', data: { id: '1' } }, true)).toEqual([
      { type: 'face', data: { id: '1' } },
    ]);
  });
});

describe('toCqString and buildRawMessage', () => {
  it('keeps strings as they are and encodes segments', () => {
    expect(toCqString('already [CQ:face,id=1]')).toBe('already [CQ:face,id=1]');
    expect(toCqString({ type: 'face', data: { id: 1 } })).toBe('[CQ:face,id=1]');
    expect(toCqString([text('[x]'), { type: 'at', data: { qq: 'all' } }])).toBe('&#91;x&#93;[CQ:at,qq=all]');
    expect(() => toCqString(7)).toThrow(OneBotError);
    expect(buildRawMessage([text('a&b'), { type: 'image', data: { file: 'a,b' } }])).toBe(
      'a&amp;b[CQ:image,file=a&#44;b]',
    );
    expect(buildRawMessage('raw')).toBe('raw');
  });
});

describe('normal forms', () => {
  it('normalizeSegmentData stringifies values and leaves the input alone', () => {
    const segment = { type: 'x', data: { n: 1, b: false, s: 's', u: undefined, z: null, o: { a: 1 } } };
    expect(normalizeSegmentData(segment)).toEqual({
      type: 'x',
      data: { n: '1', b: 'false', s: 's', o: '{"a":1}' },
    });
    expect(segment.data.n).toBe(1);
  });

  it('canonicalSegments merges adjacent texts and drops empty ones', () => {
    expect(
      canonicalSegments([
        text('a'),
        text(''),
        { type: 'text', data: { text: 1 } },
        { type: 'face', data: { id: 2 } },
        text(''),
      ]),
    ).toEqual([text('a1'), { type: 'face', data: { id: '2' } }]);
  });
});
