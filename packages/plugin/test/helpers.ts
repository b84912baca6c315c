import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { PluginConfig } from '@onebot-gateway/core';
import { createFakeBackend, waitUntil } from '@onebot-gateway/testkit';
import { createPluginAdapter } from '../src/index.js';

/** A throwaway config folder; `files` maps relative paths to contents. */
export async function makeConfigDir(
  files: Record<string, string>,
): Promise<{ dir: string; cleanup(): Promise<void> }> {
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
export const waitFor = (check: () => boolean, what = 'condition', timeoutMs = 3000): Promise<void> =>
  waitUntil(check, what, timeoutMs);

/**
 * A plugin module that records what it sees into globalThis[key] and answers
 * "ping": bus events in `events`, the meta events the adapter makes for it
 * (lifecycle, heartbeat) in `meta`.
 */
export function recorderPlugin(key: string, moduleKind: 'esm' | 'cjs' = 'esm'): string {
  const body = `{
  setup(ctx) {
    const log = (globalThis[${JSON.stringify(key)}] ??= { events: [], meta: [], disposed: 0, setups: 0 });
    log.setups += 1;
    ctx.on('*', (event) => { (event.post_type === 'meta_event' ? log.meta : log.events).push(event); });
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

export type PluginLog = {
  events: Array<Record<string, unknown>>;
  meta: Array<Record<string, unknown>>;
  disposed: number;
  setups: number;
  dataDir?: string;
  options?: unknown;
};

/**
 * Builds adapters over throwaway config folders and a fake backend, each
 * plugin writing to its own globalThis key (and keys starting with it);
 * `cleanup` (afterEach) stops and removes everything, last first.
 */
export function createPluginHarness() {
  const cleanups: Array<() => Promise<void>> = [];
  const globals = globalThis as unknown as Record<string, unknown>;
  let keyCounter = 0;

  async function setup(files: (key: string) => Record<string, string>, entry: Record<string, unknown> = {}) {
    const key = `__plugin_test_${++keyCounter}`;
    const dir = await makeConfigDir(files(key));
    const backend = createFakeBackend();
    const config = { name: 'p', enable: true, ...entry } as Partial<PluginConfig> & { name: string };
    const adapter = createPluginAdapter(config, backend.context(config.name), { baseDir: dir.dir });
    cleanups.push(async () => {
      await adapter.stop();
      backend.dispose();
      await dir.cleanup();
      for (const name of Object.keys(globals)) if (name.startsWith(key)) delete globals[name];
    });
    return { key, dir: dir.dir, backend, adapter, config, log: () => globals[key] as PluginLog | undefined };
  }

  return {
    setup,
    /** Register another cleanup (run before the adapters made so far are stopped). */
    defer: (fn: () => Promise<void>) => cleanups.push(fn),
    async cleanup() {
      for (const fn of cleanups.splice(0).reverse()) await fn();
    },
  };
}
