import { describe, expect, it } from 'vitest';
import { adapterEntries, type AdapterEntry } from '../src/config/adapter-entries.js';
import { diffAdapterConfigs } from '../src/config/diff-adapter-configs.js';
import { parseConfig } from '../src/config/parse-config.js';
import type { GatewayConfig } from '../src/config/types.js';

const load = (network: Record<string, unknown>): GatewayConfig => parseConfig(JSON.stringify({ network }));
const names = (entries: AdapterEntry[]) => entries.map((entry) => `${entry.kind}:${entry.config.name}`);

describe('adapterEntries', () => {
  it('lists every entry with its kind, kinds in NapCat order, entries in file order', () => {
    const config = load({
      plugins: [{ name: 'p' }],
      websocketServers: [
        { name: 'w1', port: 1 },
        { name: 'w2', port: 2 },
      ],
      httpServers: [{ name: 'h' }],
    });
    expect(names(adapterEntries(config))).toEqual([
      'httpServers:h',
      'websocketServers:w1',
      'websocketServers:w2',
      'plugins:p',
    ]);
    expect(adapterEntries(config)[1]?.config).toBe(config.network.websocketServers[0]);
  });
});

describe('diffAdapterConfigs', () => {
  const before = load({
    httpServers: [{ name: 'http', enable: true, port: 3000 }],
    websocketServers: [{ name: 'ws', enable: true, port: 3001 }],
    httpClients: [{ name: 'post', enable: true, url: 'http://a/' }],
    plugins: [{ name: 'moved' }],
  });

  it('finds nothing to do for the same file', () => {
    const diff = diffAdapterConfigs(before, structuredClone(before));
    expect(diff.added).toEqual([]);
    expect(diff.removed).toEqual([]);
    expect(diff.changed).toEqual([]);
    expect(names(diff.unchanged)).toEqual([
      'httpServers:http',
      'httpClients:post',
      'websocketServers:ws',
      'plugins:moved',
    ]);
  });

  it('sorts entries into added, removed, changed (with the keys) and unchanged', () => {
    const after = load({
      httpServers: [{ name: 'http', enable: true, port: 3005 }],
      websocketServers: [{ name: 'ws', enable: true, port: 3001 }],
      websocketClients: [{ name: 'reverse', enable: true }],
      // same name, other kind: a different factory has to run it
      httpSseServers: [{ name: 'moved' }],
    });
    const diff = diffAdapterConfigs(before, after);
    expect(names(diff.added)).toEqual(['httpSseServers:moved', 'websocketClients:reverse']);
    expect(names(diff.removed)).toEqual(['plugins:moved', 'httpClients:post']);
    expect(names(diff.unchanged)).toEqual(['websocketServers:ws']);
    expect(diff.changed).toEqual([
      {
        kind: 'httpServers',
        name: 'http',
        previous: before.network.httpServers[0],
        next: after.network.httpServers[0],
        changedKeys: ['port'],
      },
    ]);
  });

  it('sees changes in unknown and nested keys, and an enable toggle', () => {
    const previous = load({ plugins: [{ name: 'p', options: { a: [1, 2] } }] });
    const next = load({ plugins: [{ name: 'p', enable: true, options: { a: [1, 3] }, note: 'x' }] });
    expect(diffAdapterConfigs(previous, next).changed[0]?.changedKeys.sort()).toEqual([
      'enable',
      'note',
      'options',
    ]);
  });

  it('works on entry lists, e.g. only the enabled entries', () => {
    const enabledOnly = (config: GatewayConfig) =>
      adapterEntries(config).filter((entry) => entry.config.enable);
    const after = load({ httpServers: [{ name: 'http', enable: false, port: 3000 }] });
    const diff = diffAdapterConfigs(enabledOnly(before), enabledOnly(after));
    expect(names(diff.removed)).toEqual(['httpServers:http', 'httpClients:post', 'websocketServers:ws']);
    expect(diff.added).toEqual([]);
  });
});

describe('diffAdapterConfigs on hostile input', () => {
  it('compares very deeply nested unknown keys without overflowing the stack', () => {
    const deep = (leaf: number) => {
      let value: unknown = leaf;
      for (let depth = 0; depth < 200_000; depth += 1) value = [value];
      return value;
    };
    const entry = (leaf: number) => ({ kind: 'plugins', config: { name: 'p', nested: deep(leaf) } }) as never;
    expect(diffAdapterConfigs([entry(1)], [entry(1)]).unchanged).toHaveLength(1);
    expect(diffAdapterConfigs([entry(1)], [entry(2)]).changed[0]?.changedKeys).toEqual(['nested']);
  });
});
