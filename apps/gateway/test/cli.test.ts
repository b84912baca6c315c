import { spawnSync } from 'node:child_process';
import { access, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultConfigText } from '@onebot-gateway/core';
import { useGatewayProcesses } from './support/fixture.js';
import { cliPath, runCli, until } from './support/gateway-process.js';
import { canIsolateNetwork, fetchFrom, portsFree, spawnNode } from './support/private-network.js';

const gatewayDir = fileURLToPath(new URL('..', import.meta.url));

describe('onebot-gateway CLI', () => {
  const fixture = useGatewayProcesses();
  const tempDir = () => fixture.tempDir('onebot-gateway-cli-');

  it('prints usage with --help and exits 0', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Usage: onebot-gateway \[--config <file>\]/);
    expect(stdout).toMatch(/config\/onebot11\.json/);
  });

  it('prints the package version with --version', async () => {
    const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
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
    await writeFile(
      configPath,
      JSON.stringify({ network: { websocketServers: [{ name: 'ws', enable: true, port: 'abc' }] } }),
    );
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

  it('creates a missing config file with the documented defaults, then comes up healthy on them', async (context) => {
    const dir = await tempDir();
    const configPath = join(dir, 'config', 'onebot11.json');
    // The defaults listen on fixed ports (3000, 3001, 6099): run in a network of its own where possible.
    const isolated = canIsolateNetwork();
    if (!isolated && !(await portsFree([3000, 3001, 6099])))
      context.skip('ports 3000/3001/6099 are taken and no private network (unshare) is available');
    const child = spawnNode([cliPath, '--config', configPath], isolated);
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    try {
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      await until(() => / is up/.test(stdout), 'the gateway to say it is up', 10_000);
      expect(stdout).toMatch(
        new RegExp(`created ${configPath.replace(/[.]/g, '\\.')} with the default configuration`),
      );
      expect(await readFile(configPath, 'utf8')).toBe(defaultConfigText());
      expect(stdout).not.toMatch(/degraded/);

      // /api/health from inside the gateway's network (nsenter) or from here.
      const answer = await fetchFrom(child.pid!, isolated, 'http://127.0.0.1:6099/api/health');
      expect(answer.status).toBe(200);
      const health = JSON.parse(answer.body) as {
        status: string;
        backend: unknown;
        adapters: Array<{ name: string; status: string }>;
      };
      expect(health).toMatchObject({
        status: 'ok',
        reasons: [],
        backend: { type: 'sandbox', selfId: 10000 },
      });
      // The documented defaults: http-server and websocket-server on, the other examples off.
      expect(health.adapters.filter((a) => a.status === 'running').map((a) => a.name)).toEqual([
        'http-server',
        'websocket-server',
      ]);
      expect(stdout).toMatch(/http-server \(httpServers\): listening on 127\.0\.0\.1:3000/);
      expect(stdout).toMatch(/websocket-server \(websocketServers\): listening on 127\.0\.0\.1:3001/);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('ships dist/cli.js as an executable with a node shebang, and builds before `pnpm start`', async () => {
    const manifest = JSON.parse(await readFile(join(gatewayDir, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
      scripts: Record<string, string>;
    };
    expect(resolve(gatewayDir, manifest.bin['onebot-gateway']!)).toBe(cliPath);
    // The build's last step is what sets the bit; run it as the build does.
    expect(manifest.scripts.build).toMatch(/&& node scripts\/make-bin-executable\.mjs$/);
    const step = spawnSync(process.execPath, [join(gatewayDir, 'scripts/make-bin-executable.mjs')], {
      encoding: 'utf8',
    });
    expect(step.status, step.stderr).toBe(0);
    expect((await readFile(cliPath, 'utf8')).split('\n', 1)[0]).toBe('#!/usr/bin/env node');
    expect((await stat(cliPath)).mode & 0o111).toBe(0o111);
    // Run as a program, not through node: the shebang and the bit do the work.
    const direct = spawnSync(cliPath, ['--version'], { encoding: 'utf8' });
    expect(direct.status, direct.stderr).toBe(0);
    expect(direct.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);

    // `pnpm start` in apps/gateway builds first and reads the same file as the root's `pnpm start`.
    const start = manifest.scripts.start!;
    expect(start.startsWith('pnpm run build && ')).toBe(true);
    const configArg = /--config (\S+)$/.exec(start)?.[1];
    const rootDir = resolve(gatewayDir, '../..');
    expect(resolve(gatewayDir, configArg!)).toBe(join(rootDir, 'config', 'onebot11.json'));
    const rootManifest = JSON.parse(await readFile(join(rootDir, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(rootManifest.scripts.start).toMatch(/node apps\/gateway\/dist\/cli\.js$/);
    await access(dirname(cliPath));
  });
});
