/**
 * The benchmark corpus: CQ strings of the four kinds a gateway sees, built
 * deterministically so every run measures the same bytes.
 */

/** A tiny seeded generator: the same corpus on every run and machine. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 0x1_0000_0000;
  };
}

const random = seededRandom(11);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const words = [
  'hello',
  'world',
  '你好',
  '今天',
  '天气',
  'bot',
  'gateway',
  'ok',
  '😀',
  '👍',
  'lol',
  'test',
  '吃了吗',
  'nice',
];
const sentence = (count: number) => Array.from({ length: count }, () => pick(words)).join(' ');

/** Short chat lines without any code. */
const plainText = Array.from({ length: 40 }, () => sentence(3 + Math.floor(random() * 12)));

/** Messages that are mostly codes: mentions, faces, images, replies. */
const denseCodes = Array.from({ length: 40 }, (_, index) => {
  let message = `[CQ:reply,id=${1000 + index}]`;
  for (let i = 0; i < 6; i++) {
    message += pick([
      `[CQ:at,qq=${10000 + i}] `,
      `[CQ:face,id=${i * 7}]`,
      `[CQ:image,file=${index}${i}abcdef.image,subType=0,url=https://multimedia.example.invalid/download?appid=1407&amp;fileid=x${i},file_size=${1000 * i}]`,
      `[CQ:mface,emoji_id=${i}abc,emoji_package_id=${i},key=k${i},summary=&#91;hi&#93;]`,
      pick(words),
    ]);
  }
  return message;
});

/** Long texts (a few KB) with the odd code in them. */
const longTexts = Array.from({ length: 6 }, () => {
  let message = '';
  for (let i = 0; i < 30; i++) message += sentence(20) + (i % 10 === 9 ? '[CQ:face,id=14]' : '\n');
  return message;
});

/** Text and parameters full of escapes. */
const escapedContent = Array.from({ length: 20 }, (_, index) =>
  [
    `&#91;quote&#93; a &amp; b, c &amp;#91;not a code&amp;#93; `,
    `[CQ:json,data={"app":"com.tencent.miniapp"&#44;"meta":{"k":&#91;1&#44;2&#93;}&#44;"n":${index}}]`,
    ` ${sentence(5)} &#91;CQ:face&#44;id=1&#93; `,
    `[CQ:share,url=https://example.invalid/?a=1&amp;b=2,title=a&#44; b &#91;c&#93;]`,
  ].join(''),
);

export interface CorpusPart {
  name: string;
  messages: string[];
}

export const corpusParts: CorpusPart[] = [
  { name: 'plain text', messages: plainText },
  { name: 'dense CQ codes', messages: denseCodes },
  { name: 'long texts', messages: longTexts },
  { name: 'escaped content', messages: escapedContent },
];

/** Every message of every part, interleaved so no part runs as one block. */
export const corpus: string[] = corpusParts.flatMap((part) => part.messages);

export const corpusChars = corpus.reduce((total, message) => total + message.length, 0);
