import { describe, expect, it } from 'vitest';
import type { Segment } from '../types/segments.js';
import { encodeCq, parseCq } from './cq-code.js';

const text = (value: string): Segment => ({ type: 'text', data: { text: value } });

describe('parseCq golden cases', () => {
  it.each<[string, Segment[]]>([
    ['', []],
    ['hello', [text('hello')]],
    ['[CQ:face,id=178]', [{ type: 'face', data: { id: '178' } }]],
    ['[CQ:shake]', [{ type: 'shake', data: {} }]],
    ['hi [CQ:at,qq=10001] there', [text('hi '), { type: 'at', data: { qq: '10001' } }, text(' there')]],
    ['&amp;#91;', [text('&#91;')]],
    ['a,b&#44;c', [text('a,b,c')]], // commas are literal in text; &#44; decodes anyway
    ['[CQ:image,file=a&#44;b,url=x]', [{ type: 'image', data: { file: 'a,b', url: 'x' } }]],
    ['[CQ:image,file=a&amp;#44;b]', [{ type: 'image', data: { file: 'a&#44;b' } }]],
    ['[CQ:json,data={"a"=1}]', [{ type: 'json', data: { data: '{"a"=1}' } }]],
    ['[CQ:x,k==v=]', [{ type: 'x', data: { k: '=v=' } }]], // a key ends at the FIRST `=`
    ['[CQ:x,a=,b=]', [{ type: 'x', data: { a: '', b: '' } }]], // empty values
    ['[CQ:x,a=1,a=2]', [{ type: 'x', data: { a: '2' } }]], // a repeated key keeps the last value
    ['[CQ:my-type.v2,some_key.x-y=1]', [{ type: 'my-type.v2', data: { 'some_key.x-y': '1' } }]],
    [
      '[CQ:face,id=1][CQ:face,id=2]',
      [
        { type: 'face', data: { id: '1' } },
        { type: 'face', data: { id: '2' } },
      ],
    ],
    // Malformed or unterminated codes stay literal text, merged with their neighbours.
    ['[CQ:]', [text('[CQ:]')]],
    ['[CQ:', [text('[CQ:')]],
    ['x[CQ:face,id=1', [text('x[CQ:face,id=1')]],
    ['[CQ:face,id]', [text('[CQ:face,id]')]], // a parameter without `=`
    ['[CQ:face,=1]', [text('[CQ:face,=1]')]], // an empty key
    ['[CQ:face,]', [text('[CQ:face,]')]], // a trailing comma
    ['[CQ:fa ce]', [text('[CQ:fa ce]')]], // a space in the type
    ['[CQ:face id=1]', [text('[CQ:face id=1]')]],
    ['[cq:face,id=1]', [text('[cq:face,id=1]')]], // the prefix is case-sensitive
    ['[CQ:a,b=[c]]', [text('[CQ:a,b=[c]]')]], // a raw `[` inside a value
    ['a[CQ:x,k=v[CQ:face,id=1]b', [text('a[CQ:x,k=v'), { type: 'face', data: { id: '1' } }, text('b')]],
    ['[CQ:a,b=[CQ:c,d=1]]', [text('[CQ:a,b='), { type: 'c', data: { d: '1' } }, text(']')]],
    ['[[CQ:face,id=1]]', [text('['), { type: 'face', data: { id: '1' } }, text(']')]],
    ['&#91;CQ:face,id=1&#93;', [text('[CQ:face,id=1]')]], // escaped codes are text
    // Unicode, emoji and surrogate pairs pass through untouched.
    ['你好[CQ:at,qq=all]😀', [text('你好'), { type: 'at', data: { qq: 'all' } }, text('😀')]],
    ['[CQ:x,t=👨‍👩‍👧&#44;é]', [{ type: 'x', data: { t: '👨‍👩‍👧,é' } }]],
    // `[CQ:text]` codes are text: merged with their neighbours, only the `text` value kept.
    ['a[CQ:text,text=b]c', [text('abc')]],
    ['[CQ:text,text=&#91;x&#44;y&#93;]', [text('[x,y]')]],
    ['[CQ:text]', []],
    ['[CQ:text,text=]x', [text('x')]],
    ['[CQ:text,text=hi,extra=1][CQ:face,id=1]', [text('hi'), { type: 'face', data: { id: '1' } }]],
    ['[CQ:face,id=1][CQ:text,text=a][CQ:text,text=b]', [{ type: 'face', data: { id: '1' } }, text('ab')]],
    ['\ud83d[CQ:x]\ude00', [text('\ud83d'), { type: 'x', data: {} }, text('\ude00')]], // lone surrogates kept
  ])('%j', (input, expected) => {
    expect(parseCq(input)).toEqual(expected);
  });

  it('gives values as strings and a `__proto__` key as an own property', () => {
    const [segment] = parseCq('[CQ:x,__proto__=1,constructor=2]');
    expect(Object.getPrototypeOf(segment!.data)).toBe(Object.prototype);
    expect(Object.keys(segment!.data)).toEqual(['__proto__', 'constructor']);
    expect(segment!.data.constructor).toBe('2');
  });
});

describe('encodeCq golden cases', () => {
  it.each<[Segment[], string]>([
    [[], ''],
    [[text('a,b[c]&d')], 'a,b&#91;c&#93;&amp;d'], // commas in text are not escaped
    [[text('&#91;')], '&amp;#91;'],
    [[{ type: 'image', data: { file: 'a,b]', url: 'x=y' } }], '[CQ:image,file=a&#44;b&#93;,url=x=y]'],
    [[{ type: 'face', data: { id: 178 } }], '[CQ:face,id=178]'], // numbers stringified
    [[{ type: 'x', data: { on: true, off: false } }], '[CQ:x,on=true,off=false]'],
    [[{ type: 'x', data: { a: '', b: undefined, c: null } }], '[CQ:x,a=]'], // empty kept, absent left out
    [[{ type: 'shake', data: {} }], '[CQ:shake]'],
    [[{ type: 'my_ext', data: { k: 'v' } }], '[CQ:my_ext,k=v]'], // unknown types pass through
    [[text('a'), text('b')], 'ab'],
    [[{ type: 'text', data: { text: 5 } }], '5'],
    [[{ type: 'text', data: {} }], ''],
    // Invalid names could not be parsed back: written as escaped text instead.
    [[{ type: 'bad type', data: { k: 'v' } }], '&#91;CQ:bad type,k=v&#93;'],
    [[{ type: 'x', data: { 'bad key': 'v,w' } }], '&#91;CQ:x,bad key=v&amp;#44;w&#93;'],
  ])('%j', (segments, expected) => {
    expect(encodeCq(segments)).toBe(expected);
  });

  it('encodes nested forward content as its own CQ string, escaped as a parameter', () => {
    const node: Segment = {
      type: 'node',
      data: {
        user_id: 10001,
        nickname: 'Ann, the bot',
        content: [text('hi [1]'), { type: 'face', data: { id: 1 } }],
      },
    };
    const encoded = encodeCq([node]);
    expect(encoded).toBe(
      '[CQ:node,user_id=10001,nickname=Ann&#44; the bot,content=hi &amp;#91;1&amp;#93;&#91;CQ:face&#44;id=1&#93;]',
    );
    const [parsed] = parseCq(encoded);
    expect(parsed!.data.content).toBe('hi &#91;1&#93;[CQ:face,id=1]');
    // The content string is itself a CQ string that gives the original content back.
    expect(parseCq(parsed!.data.content as string)).toEqual([
      text('hi [1]'),
      { type: 'face', data: { id: '1' } },
    ]);
  });

  it('encodes other objects in data as JSON text', () => {
    const encoded = encodeCq([{ type: 'x', data: { obj: { a: [1, 2] } } }]);
    expect(encoded).toBe('[CQ:x,obj={"a":&#91;1&#44;2&#93;}]');
    expect(parseCq(encoded)[0]!.data.obj).toBe('{"a":[1,2]}');
  });

  it('skips items that are not segments instead of throwing', () => {
    const broken = [
      null,
      'text',
      { data: {} },
      { type: 5 },
      { type: 'face', data: { id: 1 } },
    ] as unknown as Segment[];
    expect(encodeCq(broken)).toBe('[CQ:face,id=1]');
  });

  it('never throws on odd values', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(encodeCq([{ type: 'x', data: { cyclic, big: 10n, fn: () => 1 } }])).toBe(
      '[CQ:x,cyclic=&#91;object Object&#93;,big=10]',
    );
  });

  it('writes values JSON cannot carry as fixed text, never throwing (deep arrays, throwing toString, symbols)', () => {
    let deepArray: unknown = [];
    for (let i = 0; i < 100_000; i++) deepArray = [deepArray];
    const cyclicArray: unknown[] = [1n];
    cyclicArray.push(cyclicArray);
    const throwingToString = {
      big: 1n,
      toString() {
        throw new Error('no text for you');
      },
    };
    const noPrototype = Object.assign(Object.create(null) as object, { big: 2n });
    const symbolToPrimitive = { big: 3n, [Symbol.toPrimitive]: () => Symbol('x') };
    const customText = { big: 4n, toString: () => 'custom' };
    const data = {
      deepArray,
      cyclicArray,
      symbolInArray: [5n, Symbol('s')],
      throwingToString,
      noPrototype,
      symbolToPrimitive,
      customText,
      symbol: Symbol('skipped'),
    };
    expect(encodeCq([{ type: 'x', data }])).toBe(
      '[CQ:x,deepArray=&#91;object Array&#93;,cyclicArray=&#91;object Array&#93;,symbolInArray=&#91;object Array&#93;,' +
        'throwingToString=&#91;object Object&#93;,noPrototype=&#91;object Object&#93;,' +
        'symbolToPrimitive=&#91;object Object&#93;,customText=custom]',
    );
  });
});

describe('huge and hostile inputs stay linear', () => {
  // A quadratic scanner needs minutes on these; a linear one, milliseconds.
  // The bound is loose because the CPU is shared.
  const BOUND_MS = 1500;
  const timed = (input: string) => {
    const started = performance.now();
    const segments = parseCq(input);
    return { segments, ms: performance.now() - started };
  };

  it('parses a 1 MB mixed message', () => {
    const unit =
      'some text &amp; more [CQ:face,id=1][CQ:image,file=a&#44;b.png,url=https://x.invalid/?a=1] 😀 ';
    const input = unit.repeat(Math.ceil(1_000_000 / unit.length));
    const { segments, ms } = timed(input);
    expect(segments.length).toBe(3 * Math.ceil(1_000_000 / unit.length) + 1);
    expect(encodeCq(segments)).toBe(input);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it.each([
    ['[CQ: x 100k', '[CQ:'],
    ['unterminated values x 100k', '[CQ:a,b='],
    ['unterminated codes x 100k', '[CQ:face,id=1'],
    ['names only x 100k', '[CQ:a'],
    ['dangling commas x 100k', '[CQ:a,b=1,'],
  ])('keeps %s as literal text', (_name, unit) => {
    const input = unit.repeat(100_000);
    const { segments, ms } = timed(input);
    expect(segments).toEqual([text(input)]);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('parses a 1 MB value and a 1 MB run of ampersands', () => {
    const value = 'v'.repeat(1_000_000);
    expect(timed(`[CQ:x,k=${value}]`).segments).toEqual([{ type: 'x', data: { k: value } }]);
    const amps = '&'.repeat(1_000_000);
    const { segments, ms } = timed(amps);
    expect(segments).toEqual([text(amps)]);
    expect(ms).toBeLessThan(BOUND_MS);
  });
});
