import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { zhCN } from '../src/app/i18n-zh.js';

const APP = new URL('../src/app/', import.meta.url).pathname;

function sources(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((item) => {
    const path = join(folder, item.name);
    if (item.isDirectory()) return sources(path);
    return /\.tsx?$/.test(item.name) && item.name !== 'i18n-zh.ts' ? [readFileSync(path, 'utf8')] : [];
  });
}

/** A quoted string literal's text (the app writes only plain literals, no escapes but \' and \"). */
const literal = (quoted: string) => quoted.slice(1, -1).replace(/\\(['"])/g, '$1');

describe('the Chinese strings', () => {
  const code = sources(APP).join('\n');
  // Every text passed to t() as a literal, also when prettier put it on the next line.
  const passed = [...code.matchAll(/\bt\(\s*('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")/g)].map((m) =>
    literal(m[1]!),
  );
  // Texts handed to t() through a value: the page titles and the kinds' group titles.
  const tables = [...code.matchAll(/\blabel: ('[^'\n]+')/g), ...code.matchAll(/^\s+\w+: ('[^'\n]+'),$/gm)]
    .map((m) => literal(m[1]!))
    // Sentence-case texts; an all-caps word is an HTTP method or a code, not shown text.
    .filter((text) => /^[A-Z]/.test(text) && !/^[A-Z_]+$/.test(text));

  it('has a zh-CN text for every English text the app shows', () => {
    expect(passed.length).toBeGreaterThan(100);
    const missing = [...new Set([...passed, ...tables])].filter((text) => zhCN[text] === undefined);
    expect(missing).toEqual([]);
  });

  it('keeps every {placeholder} of the English text in the Chinese one', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const broken = Object.entries(zhCN).filter(
      ([english, chinese]) => placeholders(english).join() !== placeholders(chinese).join(),
    );
    expect(broken).toEqual([]);
  });
});
