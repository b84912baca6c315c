import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfigText, parseConfig } from '@onebot-gateway/core';
import { defaultSandboxConfig, resolveSandboxConfig } from '@onebot-gateway/backend-sandbox';
import { createRecordingLogger } from '@onebot-gateway/testkit';
import { ensureConfigFile, readConfigFile } from './config-file.js';

describe('config file', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  async function tempDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'onebot-gateway-config-'));
    dirs.push(dir);
    return dir;
  }

  it('creates a missing file (and its folder) with the documented defaults and says so', async () => {
    const path = join(await tempDir(), 'config', 'onebot11.json');
    const logger = createRecordingLogger();
    expect(await ensureConfigFile(path, logger)).toBe(true);
    expect(await readFile(path, 'utf8')).toBe(defaultConfigText());
    expect(logger.text()).toMatch(/created .*onebot11\.json with the default configuration/);
    const { config } = await readConfigFile(path);
    expect(config.gateway.backend.type).toBe('sandbox');
    expect(config.network.httpServers[0]).toMatchObject({ enable: true, host: '127.0.0.1', port: 3000 });
    expect(config.network.websocketServers[0]).toMatchObject({ enable: true, host: '127.0.0.1', port: 3001 });
    expect(config.gateway.admin).toMatchObject({ enable: true, host: '127.0.0.1', port: 6099, token: '' });
  });

  it('never overwrites an existing file', async () => {
    const path = join(await tempDir(), 'onebot11.json');
    await writeFile(path, '{"network": {}}');
    const logger = createRecordingLogger();
    expect(await ensureConfigFile(path, logger)).toBe(false);
    expect(await readFile(path, 'utf8')).toBe('{"network": {}}');
    expect(logger.records).toHaveLength(0);
  });

  it('reports an invalid file naming the file and the key', async () => {
    const path = join(await tempDir(), 'mine.json');
    await writeFile(path, JSON.stringify({ network: { httpServers: [{ port: 70000 }] } }));
    await expect(readConfigFile(path)).rejects.toThrow(/mine\.json.*network\.httpServers\[0\]\.port/s);
  });

  it('ships an example config that loads and spells out the default sandbox world', async () => {
    const text = await readFile(new URL('../../../../config/onebot11.example.json', import.meta.url), 'utf8');
    const config = parseConfig(text, { fileName: 'onebot11.example.json' });
    expect(config.gateway.backend.type).toBe('sandbox');
    expect(resolveSandboxConfig(config.gateway.backend as never)).toEqual(defaultSandboxConfig());
    // Everything but the spelled-out world is exactly what a first start writes.
    const defaults = JSON.parse(defaultConfigText()) as { network: unknown; gateway: { admin: unknown } };
    const example = JSON.parse(text) as { network: unknown; gateway: { admin: unknown } };
    expect(example.network).toEqual(defaults.network);
    expect(example.gateway.admin).toEqual(defaults.gateway.admin);
  });
});
