import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './support/gateway-process.js';

describe('onebot-gateway CLI', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  async function tempDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'onebot-gateway-cli-'));
    dirs.push(dir);
    return dir;
  }

  it('prints usage with --help and exits 0', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Usage: onebot-gateway \[--config <file>\]/);
    expect(stdout).toMatch(/config\/onebot11\.json/);
  });

  it('prints the package version with --version', async () => {
    const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    const { code, stdout } = await runCli(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(manifest.version);
  });

  it('rejects an unknown option with exit code 2 and the usage', async () => {
    const { code, stderr } = await runCli(['--bogus']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/bogus/);
    expect(stderr).toMatch(/Usage:/);
  });

  it('exits 1 on an invalid config, naming the key', async () => {
    const dir = await tempDir();
    const configPath = join(dir, 'bad.json');
    await writeFile(configPath, JSON.stringify({ network: { websocketServers: [{ name: 'ws', enable: true, port: 'abc' }] } }));
    const { code, stderr, stdout } = await runCli(['--config', configPath]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/network\.websocketServers\[0\]\.port/);
    expect(stdout).toMatch(/network\.websocketServers\[0\]\.port/);
  });

  it('exits 1 on a file that is not JSON, saying so', async () => {
    const dir = await tempDir();
    const configPath = join(dir, 'broken.json');
    await writeFile(configPath, '{"network": ');
    const { code, stderr } = await runCli(['--config', configPath]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/broken\.json/);
    expect(stderr).toMatch(/JSON/);
  });
});
