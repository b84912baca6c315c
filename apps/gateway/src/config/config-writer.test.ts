import { mkdtemp, readFile, readdir, rm, stat, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { backupPathOf, formatConfigLike, writeConfigAtomically } from './config-writer.js';

describe('formatConfigLike', () => {
  it('keeps indentation, line endings and the final newline of the previous text', () => {
    const config = { network: { a: [1] } };
    expect(formatConfigLike(config, '{\n    "x": 1\n}\n')).toBe(JSON.stringify(config, null, 4) + '\n');
    expect(formatConfigLike(config, '{\n\t"x": 1\n}')).toBe(JSON.stringify(config, null, '\t'));
    expect(formatConfigLike(config, '{\r\n  "x": 1\r\n}\r\n')).toBe(
      JSON.stringify(config, null, 2).replace(/\n/g, '\r\n') + '\r\n',
    );
    // JSON5 comments cannot be kept: the result is plain JSON with the default 2 spaces.
    expect(formatConfigLike(config, '// hi\n{network: {}}')).toBe(JSON.stringify(config, null, 2));
  });
});

describe('writeConfigAtomically', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('replaces the file, keeps the previous one as .bak with the same permissions and leaves no temp file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'config-writer-'));
    const path = join(dir, 'onebot11.json');
    await writeFile(path, 'old text');
    await chmod(path, 0o640);
    await writeConfigAtomically(path, 'new text');
    expect(await readFile(path, 'utf8')).toBe('new text');
    expect(await readFile(backupPathOf(path), 'utf8')).toBe('old text');
    expect((await stat(path)).mode & 0o777).toBe(0o640);
    expect((await readdir(dir)).sort()).toEqual(['onebot11.json', 'onebot11.json.bak']);
  });
});
