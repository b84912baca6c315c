/**
 * Cases where the spec (protocol.md section 5) fixes the answer, run through
 * every codec. Only differences in meaning count: parse results are compared
 * after merging adjacent text segments and dropping empty ones, and an
 * encoder is judged by what its output means (parsed back with the
 * spec-conformant parser), so extra escaping or split text is not an error.
 */
import { isDeepStrictEqual } from 'node:util';
import { encodeCq, parseCq } from '../src/message/cq-code.js';
import { canonicalSegments } from '../src/message/segment-data.js';
import type { Segment } from '../src/types/segments.js';
import type { Codec } from './peers.js';

const text = (value: string): Segment => ({ type: 'text', data: { text: value } });

interface ParseCase {
  name: string;
  input: string;
  expected: Segment[];
}

interface EncodeCase {
  name: string;
  segments: Segment[];
}

export const parseCases: ParseCase[] = [
  { name: '`&amp;#91;` is the literal `&#91;`', input: 'a&amp;#91;b', expected: [text('a&#91;b')] },
  { name: 'escaped code stays text', input: '&#91;CQ:face,id=1&#93;', expected: [text('[CQ:face,id=1]')] },
  {
    name: '`&#44;` inside a value',
    input: '[CQ:image,file=a&#44;b.jpg]',
    expected: [{ type: 'image', data: { file: 'a,b.jpg' } }],
  },
  {
    name: '`=` inside a value',
    input: '[CQ:image,url=https://x.invalid/d?a=1&amp;b=2]',
    expected: [{ type: 'image', data: { url: 'https://x.invalid/d?a=1&b=2' } }],
  },
  { name: 'unterminated `[CQ:` kept', input: 'hi [CQ:face,id=1', expected: [text('hi [CQ:face,id=1')] },
  { name: '`[CQ:]` kept', input: 'a[CQ:]b', expected: [text('a[CQ:]b')] },
  { name: 'trailing comma is malformed', input: '[CQ:face,id=1,]', expected: [text('[CQ:face,id=1,]')] },
  {
    name: 'type with `-`/`.`/digits',
    input: '[CQ:my-ext.v2,k=v]',
    expected: [{ type: 'my-ext.v2', data: { k: 'v' } }],
  },
  { name: 'key with `-`', input: '[CQ:x,a-b=1]', expected: [{ type: 'x', data: { 'a-b': '1' } }] },
  { name: 'empty value', input: '[CQ:x,a=,b=2]', expected: [{ type: 'x', data: { a: '', b: '2' } }] },
  { name: 'lone `&` and unknown entity stay', input: 'a & b &#92;', expected: [text('a & b &#92;')] },
];

export const encodeCases: EncodeCase[] = [
  { name: 'text that looks like a code', segments: [text('[CQ:face,id=1]')] },
  { name: 'text `&#91;` literal', segments: [text('&#91;')] },
  { name: 'comma in a parameter', segments: [{ type: 'image', data: { file: 'a,b.jpg' } }] },
  { name: '`]` in a parameter', segments: [{ type: 'x', data: { title: '[1]' } }] },
  { name: '`<` `>` `"` in a parameter', segments: [{ type: 'x', data: { title: '<b>"' } }] },
  { name: 'empty parameter kept', segments: [{ type: 'x', data: { a: '' } }] },
  { name: 'numeric parameter (0 and 178)', segments: [{ type: 'face', data: { id: 0, x: 178 } }] },
  {
    name: 'forward node with array content',
    segments: [{ type: 'node', data: { user_id: '1', nickname: 'n', content: [text('hi')] } }],
  },
  { name: 'emoji in a parameter', segments: [{ type: 'x', data: { title: 'ok 😀' } }] },
];

export interface Verdict {
  ok: boolean;
  detail: string;
}

const show = (value: unknown) => {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 70 ? `${json.slice(0, 67)}...` : json;
};

/** An encoder wrote something that means a different message. */
class MeaningMismatch extends Error {}

function judge(run: () => unknown, expected: unknown): Verdict {
  try {
    const actual = run();
    return isDeepStrictEqual(actual, expected)
      ? { ok: true, detail: 'ok' }
      : { ok: false, detail: `gives ${show(actual)}` };
  } catch (error) {
    if (error instanceof MeaningMismatch) return { ok: false, detail: error.message };
    return {
      ok: false,
      detail: `throws ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
    };
  }
}

// Compare plain data only: peers return class instances and null-prototype objects.
const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

export interface CorrectnessRow {
  kind: 'parse' | 'encode';
  name: string;
  input: string;
  ours: Verdict;
  peers: Verdict[];
}

export function runCorrectness(peers: Codec[]): CorrectnessRow[] {
  const rows: CorrectnessRow[] = [];
  for (const testCase of parseCases) {
    const expected = plain(testCase.expected);
    rows.push({
      kind: 'parse',
      name: testCase.name,
      input: show(testCase.input),
      ours: judge(() => plain(parseCq(testCase.input)), expected),
      peers: peers.map((peer) =>
        judge(() => plain(canonicalSegments(peer.toSegments(peer.parse(testCase.input)))), expected),
      ),
    });
  }
  for (const testCase of encodeCases) {
    const expected = plain(canonicalSegments(testCase.segments));
    // Peers get a copy: some mutate or choke on shared objects.
    const meaning = (encode: (segments: Segment[]) => string) => () => {
      const encoded = encode(structuredClone(testCase.segments));
      const parsed = plain(parseCq(encoded));
      if (!isDeepStrictEqual(parsed, expected)) throw new MeaningMismatch(`writes ${show(encoded)}`);
      return expected;
    };
    rows.push({
      kind: 'encode',
      name: testCase.name,
      input: show(testCase.segments),
      ours: judge(meaning(encodeCq), expected),
      peers: peers.map((peer) => judge(meaning(peer.encode), expected)),
    });
  }
  return rows;
}

/**
 * Hostile inputs: many `[CQ:` openings that never close. A parser that
 * retries a full-length match from every opening is quadratic here.
 */
export const hostileInput = { name: '`[CQ:a,b=` x 6000 (48 KB)', input: '[CQ:a,b='.repeat(6000) };

/** Milliseconds of the fastest of three runs (the machine is shared). */
export function bestOfThree(run: () => unknown): number {
  let best = Number.POSITIVE_INFINITY;
  for (let attempt = 0; attempt < 3; attempt++) {
    const started = performance.now();
    run();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}
