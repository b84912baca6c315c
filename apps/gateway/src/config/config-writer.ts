import { randomBytes } from 'node:crypto';
import { copyFile, open, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Where the file before the last admin API save is kept: beside it, `<name>.bak`. */
export function backupPathOf(path: string): string {
  return `${path}.bak`;
}

/**
 * `config` as file text in the style of `previous`: its indentation (tabs or
 * N spaces, 2 when it cannot tell), its line endings and whether it ends
 * with a newline. Always plain JSON: JSON5 comments of `previous` are lost.
 */
export function formatConfigLike(config: unknown, previous: string | undefined): string {
  const text = previous ?? '';
  const indentMatch = /^[{[][^\n]*\r?\n([ \t]+)\S/m.exec(text);
  const found = indentMatch?.[1];
  const indent = found === undefined ? 2 : found.startsWith('\t') ? '\t' : found.length;
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  let body = JSON.stringify(config, null, indent);
  if (newline === '\r\n') body = body.replace(/\n/g, '\r\n');
  const endsWithNewline = previous === undefined || /\r?\n$/.test(text);
  return endsWithNewline ? `${body}${newline}` : body;
}

/**
 * The file a write must replace: `path` with its symlinks resolved, so a
 * symlinked config (`onebot11.json -> /etc/onebot/config.json`) stays a
 * symlink and the real file gets the new text; `path` itself when it does
 * not exist yet.
 */
async function realFileOf(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return path;
    throw error;
  }
}

/**
 * Replace the file at `path` with `text` so that a reader (the gateway's
 * watcher, an editor, a crash) sees the old file or the new one, never half
 * of one: the text goes to a temp file in the same folder (same filesystem,
 * so the rename is atomic), is flushed to disk, the current file is copied
 * to `<name>.bak`, then the temp file is renamed over the original. A
 * symlink is followed: the temp file and the .bak sit beside the real file
 * (a rename over the link would turn it into a regular file).
 */
export async function writeConfigAtomically(linkOrPath: string, text: string): Promise<void> {
  const path = await realFileOf(linkOrPath);
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  // The new file keeps the permissions of the old one (it holds tokens: often 0600).
  const mode = await stat(path).then(
    (stats) => stats.mode & 0o777,
    () => 0o600,
  );
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.chmod(mode);
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await copyFile(path, backupPathOf(path));
    } catch (error) {
      // No current file is nothing to back up; anything else must stop the write.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
