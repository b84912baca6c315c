import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A throwaway config folder; `files` maps relative paths to contents. */
export async function makeConfigDir(files: Record<string, string>): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'onebot-plugin-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function link(target: string, path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await symlink(target, path);
}

/** Poll until `check` holds (bounded), for effects that happen on a later tick. */
export async function waitFor(check: () => boolean, what = 'condition', timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A plugin module that records what it sees into globalThis[key] and answers "ping". */
export function recorderPlugin(key: string, moduleKind: 'esm' | 'cjs' = 'esm'): string {
  const body = `{
  setup(ctx) {
    const log = (globalThis[${JSON.stringify(key)}] ??= { events: [], disposed: 0, setups: 0 });
    log.setups += 1;
    ctx.on('*', (event) => { log.events.push(event); });
    ctx.on('message', async (event) => {
      if (event.raw_message === 'ping') await ctx.reply(event, 'pong');
    });
    ctx.onDispose(() => { log.disposed += 1; });
    log.dataDir = ctx.dataDir;
    log.options = ctx.options;
  },
}`;
  return moduleKind === 'esm' ? `export default ${body};\n` : `module.exports = ${body};\n`;
}
