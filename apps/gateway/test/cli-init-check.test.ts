import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConfig, type GatewayConfig } from '@onebot-gateway/core';
import { useGatewayProcesses } from './support/fixture.js';
import { cliPath, runCli, until } from './support/gateway-process.js';
import { canIsolateNetwork, fetchFrom, portsFree, spawnNode } from './support/private-network.js';
import { starterPorts } from '../src/commands/starter-config.js';

const repoFile = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));

/** Lines holding a key (`"port": 3000`) whose previous line is not a `//` comment. */
function uncommentedKeys(text: string): string[] {
  const lines = text.split('\n');
  return lines.filter((line, index) => /^\s*"[^"]+":/.test(line) && !/^\s*\/\//.test(lines[index - 1] ?? ''));
}

describe('onebot-gateway init and check', () => {
  const fixture = useGatewayProcesses();
  const tempDir = () => fixture.tempDir('onebot-gateway-init-');

  it('init writes a commented sandbox config to ./onebot11.json that the parser and check accept', async () => {
    const dir = await tempDir();
    const { code, stdout, stderr } = await runCli(['init'], dir);
    expect(code, stderr).toBe(0);
    const path = join(dir, 'onebot11.json');
    expect(stdout).toContain(`wrote ${path} (sandbox; HTTP API 127.0.0.1:3000, SSE 127.0.0.1:3002`);
    expect(stdout).toContain('onebot-gateway check --config onebot11.json');
    const text = await readFile(path, 'utf8');
    // JSON5 with a comment on every key, so plain JSON.parse refuses it.
    expect(() => JSON.parse(text) as unknown).toThrow();
    expect(uncommentedKeys(text)).toEqual([]);
    expect(text.match(/^\s*"[^"]+":/gm)?.length).toBeGreaterThan(50);
    expect((await stat(path)).mode & 0o777).toBe(0o600);

    const config = parseConfig(text, { fileName: 'onebot11.json' });
    expect(config.gateway.backend).toEqual({ type: 'sandbox' });
    expect(config.gateway.admin).toMatchObject({ enable: true, host: '127.0.0.1', port: 6099, token: '' });
    const enabled = (entries: Array<{ name: string; enable: boolean }>) =>
      entries.filter((entry) => entry.enable).map((entry) => entry.name);
    expect(enabled(config.network.httpServers)).toEqual(['http-server']);
    expect(enabled(config.network.httpSseServers)).toEqual(['http-sse-server']);
    expect(enabled(config.network.websocketServers)).toEqual(['websocket-server']);
    expect(enabled([...config.network.httpClients, ...config.network.websocketClients])).toEqual([]);

    const check = await runCli(['check', '--config', 'onebot11.json'], dir);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toMatch(
      /^onebot11\.json: valid \(sandbox backend; 3 adapter\(s\) enabled: http-server/,
    );
  });

  it('init --relay writes an upstream config on ports clear of NapCat, with the token, never printing it', async () => {
    const dir = await tempDir();
    const path = join(dir, 'conf', 'relay.json5');
    const { code, stdout, stderr } = await runCli([
      'init',
      '--relay',
      'ws://napcat:3001',
      '--token',
      'upstream-secret',
      '--config',
      path,
    ]);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('relay to ws://napcat:3001; HTTP API 127.0.0.1:3100');
    expect(stdout + stderr).not.toContain('upstream-secret');
    const text = await readFile(path, 'utf8');
    expect(uncommentedKeys(text)).toEqual([]);
    const config = parseConfig(text, { fileName: 'relay.json5' });
    expect(config.gateway.backend).toMatchObject({
      type: 'upstream',
      url: 'ws://napcat:3001',
      token: 'upstream-secret',
    });
    expect(config.network.httpServers[0]).toMatchObject({ port: 3100, token: '' });
    expect(config.network.websocketServers[0]).toMatchObject({ port: 3101 });
    expect(config.network.httpSseServers[0]).toMatchObject({ port: 3102 });
    expect(config.gateway.admin.port).toBe(6100);
    const check = await runCli(['check', '--config', path]);
    expect(check.code, check.stdout).toBe(0);
    expect(check.stdout).toContain('valid (upstream ws://napcat:3001 backend');
  });

  it('init --host puts the adapters there with --access-token, and the admin API only with --admin-token', async () => {
    const dir = await tempDir();
    const read = async (file: string): Promise<GatewayConfig> =>
      parseConfig(await readFile(join(dir, file), 'utf8'), { fileName: file });
    const open = await runCli(['init', '--host', '0.0.0.0', '--access-token', 'bots', '-c', 'a.json'], dir);
    expect(open.code, open.stderr).toBe(0);
    const a = await read('a.json');
    for (const entry of [
      a.network.httpServers[0],
      a.network.httpSseServers[0],
      a.network.websocketServers[0],
    ]) {
      expect(entry).toMatchObject({ host: '0.0.0.0', token: 'bots' });
    }
    // A token-less admin API on 0.0.0.0 would refuse to start: it stays on loopback.
    expect(a.gateway.admin).toMatchObject({ host: '127.0.0.1', token: '' });
    const withAdmin = await runCli(
      ['init', '--host', '0.0.0.0', '--admin-token', 'ops', '-c', 'b.json'],
      dir,
    );
    expect(withAdmin.code, withAdmin.stderr).toBe(0);
    expect((await read('b.json')).gateway.admin).toMatchObject({ host: '0.0.0.0', token: 'ops' });
  });

  it('init refuses to overwrite an existing file; --force replaces it and keeps the old one as .bak', async () => {
    const dir = await tempDir();
    const path = join(dir, 'onebot11.json');
    await writeFile(path, '{"network": {}} // mine');
    const refused = await runCli(['init', '--config', path]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${path} already exists; nothing written (--force replaces it`);
    expect(await readFile(path, 'utf8')).toBe('{"network": {}} // mine');

    const forced = await runCli(['init', '--config', path, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(await readFile(path, 'utf8')).toContain('`onebot-gateway init` (sandbox)');
    expect(await readFile(`${path}.bak`, 'utf8')).toBe('{"network": {}} // mine');
  });

  it('init rejects bad options with exit 2 and writes nothing', async () => {
    const dir = await tempDir();
    const cases: Array<[string[], RegExp]> = [
      [['--relay', 'http://napcat:3000'], /gateway\.backend\.url: .*ws:/],
      [['--sandbox', '--relay', 'ws://napcat:3001'], /choose one scenario/],
      [['--token', 'x'], /--token .* needs --relay/],
      [['--bogus'], /bogus/],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(['init', ...args], dir)));
    results.forEach(({ code, stderr }, index) => {
      const [args, message] = cases[index]!;
      expect(code, args.join(' ')).toBe(2);
      expect(stderr).toMatch(message);
    });
    await expect(stat(join(dir, 'onebot11.json'))).rejects.toThrow(/ENOENT/);
  });

  it('the sandbox starting config starts the gateway, healthy, with its three adapters', async (context) => {
    const dir = await tempDir();
    const { code, stderr } = await runCli(['init'], dir);
    expect(code, stderr).toBe(0);
    // The starting config listens on fixed ports: run in a network of its own where possible.
    const isolated = canIsolateNetwork();
    if (!isolated && !(await portsFree([3000, 3001, 3002, 6099])))
      context.skip('ports 3000-3002/6099 are taken and no private network (unshare) is available');
    const child = spawnNode([cliPath, '--config', 'onebot11.json'], isolated, dir);
    const exited = new Promise<number | null>((done) => child.once('exit', (exitCode) => done(exitCode)));
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await until(() => / is up/.test(output), 'the gateway to say it is up', 10_000);
      expect(output).not.toMatch(/degraded/);
      const health = await fetchFrom(child.pid!, isolated, 'http://127.0.0.1:6099/api/health');
      expect(health.status, health.body).toBe(200);
      const body = JSON.parse(health.body) as {
        status: string;
        adapters: Array<{ name: string; status: string }>;
      };
      expect(body.status).toBe('ok');
      expect(body.adapters.filter((a) => a.status === 'running').map((a) => a.name)).toEqual([
        'http-server',
        'http-sse-server',
        'websocket-server',
      ]);
      // The sandbox answers through the starting config's HTTP API.
      const login = await fetchFrom(child.pid!, isolated, 'http://127.0.0.1:3000/get_login_info');
      expect(JSON.parse(login.body)).toMatchObject({ retcode: 0, data: { user_id: 10000 } });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('check exits 0 on a valid NapCat file and prints nothing but the verdict', async () => {
    const dir = await tempDir();
    const path = join(dir, 'onebot11_12345.json');
    await writeFile(
      path,
      JSON.stringify({
        network: { websocketServers: [{ name: 'ws', enable: true, port: '3001', token: 't' }] },
      }),
    );
    const { code, stdout, stderr } = await runCli(['check', '--config', path]);
    expect(code, stderr).toBe(0);
    expect(stdout).toBe(
      `${path}: valid (sandbox backend; 1 adapter(s) enabled: ws (websocketServers); admin API 127.0.0.1:6099)\n`,
    );
  });

  it('check exits 1 on an invalid file, printing every problem with its path', async () => {
    const dir = await tempDir();
    const path = join(dir, 'bad.json');
    await writeFile(
      path,
      `// JSON5 is fine
      {
        network: {
          httpServers: [{ name: 'api', enable: true, port: 70000 }],
          websocketServers: [{ name: 'api', enable: true, port: 3001, messagePostFormat: 'xml' }],
          httpClients: [{ name: 'post', enable: true, url: 'ftp://bot' }],
        },
        gateway: { admin: { port: 'admin' }, logLevel: 'loud' },
      }`,
    );
    const { code, stdout } = await runCli(['check', '--config', path]);
    expect(code).toBe(1);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^${path.replace(/[.]/g, '\\.')}: \\d+ problems$`));
    const paths = lines.slice(1).map((line) => /^ {2}(\S+?):/.exec(line)?.[1]);
    for (const expected of [
      'network.httpServers[0].port',
      'network.websocketServers[0].messagePostFormat',
      'network.httpClients[0].url',
      'gateway.admin.port',
      'gateway.logLevel',
    ]) {
      expect(paths, stdout).toContain(expected);
    }
    // The duplicate name is a problem too, at the second entry's path.
    expect(stdout).toMatch(/network\.websocketServers\[0\]\.name: .*api/);
  });

  it('check reports a backend problem, a file that is not JSON and a missing file with exit 1', async () => {
    const dir = await tempDir();
    const backend = join(dir, 'backend.json');
    await writeFile(backend, JSON.stringify({ gateway: { backend: { type: 'sandbox', groups: 'none' } } }));
    const bad = await runCli(['check', '--config', backend]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/1 problem\n {2}gateway\.backend\.groups: /);

    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{"network": ');
    const [syntax, missing, usage] = await Promise.all([
      runCli(['check', '--config', broken]),
      runCli(['check', '--config', join(dir, 'nope.json')]),
      runCli(['check', 'extra']),
    ]);
    expect(syntax.code).toBe(1);
    expect(syntax.stdout).toMatch(/1 problem\n {2}line 1, column \d+: not valid JSON/);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/nope\.json: cannot be read: not found/);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/Usage: onebot-gateway check/);
  });

  it('lists init and check in the main help', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/onebot-gateway init \[--sandbox \| --relay <url>\]/);
    expect(stdout).toMatch(/onebot-gateway check \[--config <file>\]/);
    const init = await runCli(['init', '--help']);
    expect(init.code).toBe(0);
    expect(init.stdout).toMatch(/--relay <url>/);
  });

  it('schema prints the config JSON Schema, schema actions every action; a config can point at it', async () => {
    const dir = await tempDir();
    const config = await runCli(['schema']);
    expect(config.code, config.stderr).toBe(0);
    const schema = JSON.parse(config.stdout) as { $schema: string; definitions: Record<string, unknown> };
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(Object.keys(schema.definitions)).toContain('websocketClients');

    const actions = await runCli(['schema', 'actions']);
    expect(actions.code, actions.stderr).toBe(0);
    const catalogue = JSON.parse(actions.stdout) as Record<string, { description: string }>;
    expect(catalogue['get_group_member_list']?.description).toMatch(/member/);

    // The README's VS Code recipe: the schema beside the file, named by "$schema" (a key the parser keeps).
    await writeFile(join(dir, 'onebot11.schema.json'), config.stdout);
    const path = join(dir, 'onebot11.json');
    await writeFile(path, JSON.stringify({ $schema: './onebot11.schema.json', network: {} }));
    expect((await runCli(['check', '--config', path])).code).toBe(0);

    const wrong = await runCli(['schema', 'events']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/unknown schema "events": expected "config" or "actions"/);
    expect((await runCli(['--help'])).stdout).toMatch(/onebot-gateway schema \[config \| actions\]/);
  });

  it('the NapCat config of examples/ passes check and serves the relay URL of the compose file', async () => {
    const { code, stdout } = await runCli(['check', '--config', repoFile('examples/napcat-onebot11.json')]);
    expect(code, stdout).toBe(0);
    expect(stdout).toContain('1 adapter(s) enabled: onebot-gateway (websocketServers)');
    const napcat = JSON.parse(await readFile(repoFile('examples/napcat-onebot11.json'), 'utf8')) as {
      network: { websocketServers: Array<{ host: string; port: number }> };
    };
    const compose = await readFile(repoFile('examples/docker-compose.yml'), 'utf8');
    expect(compose).toContain(`ONEBOT_RELAY_URL: ws://napcat:${napcat.network.websocketServers[0]!.port}`);
    expect(napcat.network.websocketServers[0]!.host).toBe('0.0.0.0');
  });

  it('the Dockerfile and the compose file publish the ports init writes', async () => {
    const dockerfile = await readFile(repoFile('Dockerfile'), 'utf8');
    const exposed = /^EXPOSE (.+)$/m.exec(dockerfile)?.[1]?.split(' ').map(Number);
    const sandbox = starterPorts({});
    const relay = starterPorts({ relay: { url: 'ws://napcat:3001', token: '' } });
    for (const port of [...Object.values(sandbox), ...Object.values(relay)]) expect(exposed).toContain(port);
    const compose = await readFile(repoFile('examples/docker-compose.yml'), 'utf8');
    for (const port of Object.values(relay))
      expect(compose).toMatch(new RegExp(`^\\s+- ['"](127\\.0\\.0\\.1:)?${port}:${port}['"]`, 'm'));
    // The health check and the entrypoint read the same file the image declares.
    expect(dockerfile).toMatch(/ONEBOT_CONFIG=\/config\/onebot11\.json/);
    expect(dockerfile).toMatch(/^VOLUME \/config$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
  });
});
