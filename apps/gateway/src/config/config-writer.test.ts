import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
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

  it('follows a symlinked config: the link stays a link, the real file gets the text, the .bak sits beside it', async () => {
    dir = await mkdtemp(join(tmpdir(), 'config-writer-'));
    const realDir = join(dir, 'etc');
    await mkdir(realDir);
    const real = join(realDir, 'config.json');
    const link = join(dir, 'onebot11.json');
    await writeFile(real, 'old text');
    await chmod(real, 0o600);
    await symlink(real, link);
    await writeConfigAtomically(link, 'new text');
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readFile(real, 'utf8')).toBe('new text');
    expect(await readFile(link, 'utf8')).toBe('new text');
    expect(await readFile(backupPathOf(real), 'utf8')).toBe('old text');
    expect((await stat(real)).mode & 0o777).toBe(0o600);
    expect((await readdir(realDir)).sort()).toEqual(['config.json', 'config.json.bak']);
    expect((await readdir(dir)).sort()).toEqual(['etc', 'onebot11.json']);
  });
});
