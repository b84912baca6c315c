import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from '../browser-test/browser.js';

const run = promisify(execFile);
const SCRIPT = new URL('../../../scripts/ensure-system-deps.mjs', import.meta.url).pathname;

let dir: string;

/** An executable that answers `--version` with `version`. */
function fakeExecutable(path: string, version: string): string {
  writeFileSync(path, `#!/bin/sh\necho "${version}"\n`);
  chmodSync(path, 0o755);
  return path;
}

/** What `pnpm setup:system` says it found for chromium, with `env` (a fake nats-server, so it installs nothing). */
async function setupSaysChromiumIs(env: NodeJS.ProcessEnv): Promise<string> {
  const { stdout } = await run(process.execPath, [SCRIPT], {
    env: { ...env, ONEBOT_NATS_SERVER: join(dir, 'nats-server') },
  });
  return /ensure-system-deps: chromium: (.*)/.exec(stdout)?.[1] ?? stdout;
}

describe('the Chromium that pnpm setup:system checks is the one the browser tests drive', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'chromium-path-'));
    fakeExecutable(join(dir, 'nats-server'), 'nats-server: v0.0.0-fake');
    fakeExecutable(join(dir, 'chromium'), 'Chromium on PATH (fake)');
    fakeExecutable(join(dir, 'my-chromium'), 'Chromium from CHROMIUM_PATH (fake)');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('CHROMIUM_PATH first, for both', async () => {
    const env = {
      PATH: `${dir}${delimiter}${process.env.PATH ?? ''}`,
      CHROMIUM_PATH: join(dir, 'my-chromium'),
    };
    expect(findChromium(env)).toBe(join(dir, 'my-chromium'));
    expect(await setupSaysChromiumIs(env)).toBe('Chromium from CHROMIUM_PATH (fake)');
  });

  it('then chromium on PATH, for both', async () => {
    const env = { PATH: `${dir}${delimiter}${process.env.PATH ?? ''}` };
    expect(findChromium(env)).toBe(join(dir, 'chromium'));
    expect(await setupSaysChromiumIs(env)).toBe('Chromium on PATH (fake)');
  });

  it('then /usr/bin/chromium', () => {
    expect(findChromium({ PATH: dir.replace(/$/, '-nothing-here') })).toBe('/usr/bin/chromium');
  });
});
