import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const coreFolder = fileURLToPath(new URL('../../', import.meta.url));

/** In a fresh node process (the module cache is per process): load core, parse a config, maybe compile a filter. */
async function siftLoaded(filter: unknown): Promise<boolean> {
  const script = `
    import { createRequire } from 'node:module';
    import { compileEventFilter, parseConfig } from '@onebot-gateway/core';
    parseConfig(JSON.stringify({ network: { websocketServers: [{ name: 'ws', enable: true, port: 3001 }] } }));
    const filter = ${JSON.stringify(filter)};
    if (filter) compileEventFilter(filter);
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    console.log(JSON.stringify(loaded.some((path) => /[\\\\/]sift[\\\\/]/.test(path))));
  `;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: coreFolder });
  return JSON.parse(stdout) as boolean;
}

describe('sift is loaded by the first filter only', () => {
  it('a config without a filter never loads sift; the first filter does', async () => {
    expect(await siftLoaded(null)).toBe(false);
    expect(await siftLoaded({ post_type: 'message', 'sender.user_id': { $in: [1, 2] } })).toBe(true);
  });
});
