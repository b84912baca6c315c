import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { JsonSchema } from '@onebot-gateway/core/schema';
import { buildGatewayConfigSchema } from '../src/schema/gateway-schema.js';

/*
 * The option tables of the READMEs are written for people (units, why a
 * default, links), so they are not generated; this test holds them to the
 * schema instead: every option of a kind has a row, every row is an option,
 * and the default a row shows is the schema's.
 */

const readme = (path: string) =>
  readFileSync(fileURLToPath(new URL(`../../../${path}`, import.meta.url)), 'utf8');

interface Row {
  key: string;
  defaultCell: string;
}

/**
 * Rows of the first `| key | default | meaning |` table after `after` (or the
 * first in the file). A row naming several keys (`` `user` / `pass` ``) is
 * one row per key.
 */
function optionRows(text: string, after = ''): Row[] {
  const from = text.indexOf(after);
  const lines = text.slice(from).split('\n');
  const header = lines.findIndex((line) => /^\|\s*key\s*\|\s*default\s*\|\s*meaning\s*\|/.test(line));
  const rows: Row[] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const [keyCell = '', defaultCell = ''] = line
      .replace(/^\|/, '')
      .split(' | ')
      .map((cell) => cell.trim());
    const names = [...keyCell.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);
    const onlyNames = keyCell.replace(/`[^`]+`/g, '').replace(/[\s,/]/g, '') === '';
    const keys = names.length > 1 && onlyNames ? names : [keyCell.replace(/`/g, '').trim()];
    for (const key of keys) rows.push({ key, defaultCell: defaultCell.trim() });
  }
  return rows;
}

/** What a README shows for a default: the JSON in backticks, or words for "none". */
function expectDefaultShown(where: string, property: JsonSchema, cell: string): void {
  if (property['default'] === undefined) {
    expect(cell, where).toMatch(/^(none|absent|required)/);
  } else {
    expect(cell, where).toMatch(new RegExp(`^\`${escapeRegExp(JSON.stringify(property['default']))}\``));
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

let schema: JsonSchema;
const definition = (kind: string) =>
  (schema['definitions'] as Record<string, { properties: Record<string, JsonSchema> }>)[kind]!.properties;

beforeAll(async () => {
  schema = await buildGatewayConfigSchema();
});

describe('README option tables match the schema', () => {
  it.each([
    ['packages/http-server/README.md', 'httpServers'],
    ['packages/ws-server/README.md', 'websocketServers'],
    ['packages/http-client/README.md', 'httpClients'],
    ['packages/ws-client/README.md', 'websocketClients'],
    ['packages/plugin/README.md', 'plugins'],
    ['packages/nats/README.md', 'natsBridges'],
  ])('%s: one row per %s option, with its default', (path, kind) => {
    const rows = optionRows(readme(path));
    const properties = definition(kind);
    expect(rows.map((row) => row.key).sort()).toEqual(Object.keys(properties).sort());
    for (const row of rows) expectDefaultShown(`${path} ${row.key}`, properties[row.key]!, row.defaultCell);
  });

  it('packages/sse-server/README.md: its own rows match, the rest are http-server rows ("as http-server")', () => {
    const rows = optionRows(readme('packages/sse-server/README.md'));
    const properties = definition('httpSseServers');
    const inherited = new Set(optionRows(readme('packages/http-server/README.md')).map((row) => row.key));
    for (const row of rows) {
      expect(Object.keys(properties), row.key).toContain(row.key);
      expectDefaultShown(`sse-server ${row.key}`, properties[row.key]!, row.defaultCell);
    }
    const shown = new Set(rows.map((row) => row.key));
    const missing = Object.keys(properties).filter((key) => !shown.has(key) && !inherited.has(key));
    expect(missing).toEqual([]);
  });

  it('packages/nats/README.md: one row per key of the nats backend (gateway.backend), with its default', () => {
    const rows = optionRows(readme('packages/nats/README.md'), '## Edge: `gateway.backend.type: "nats"`');
    const gateway = (schema['properties'] as Record<string, JsonSchema>)['gateway']!;
    const backend = (gateway['properties'] as Record<string, JsonSchema>)['backend']!;
    const branch = (backend['allOf'] as Array<{ if: JsonSchema; then: JsonSchema }>).find(
      (candidate) => (candidate.if['properties'] as Record<string, JsonSchema>)['type']!['const'] === 'nats',
    )!;
    const properties = branch.then['properties'] as Record<string, JsonSchema>;
    const documented = rows.map((row) => row.key);
    expect([...documented].sort()).toEqual(Object.keys(properties).sort());
    for (const row of rows)
      expectDefaultShown(`nats backend ${row.key}`, properties[row.key]!, row.defaultCell);
  });

  it('apps/gateway/README.md: every key of the gateway section, with its default', () => {
    const rows = optionRows(readme('apps/gateway/README.md'), '## Configuration: the `gateway` section');
    const gateway = (schema['properties'] as Record<string, JsonSchema>)['gateway']!;
    const sections = gateway['properties'] as Record<string, JsonSchema>;
    const backends = (sections['backend']!['allOf'] as Array<{ if: JsonSchema; then: JsonSchema }>).map(
      (branch) => [
        ((branch.if['properties'] as Record<string, JsonSchema>)['type']!['const'] as string) ?? '',
        branch.then['properties'] as Record<string, JsonSchema>,
      ],
    );
    const expected: string[] = ['gateway.logLevel', 'gateway.backend.type'];
    for (const section of ['admin', 'rateLimit']) {
      const properties = sections[section]!['properties'] as Record<string, JsonSchema>;
      expected.push(...Object.keys(properties).map((key) => `gateway.${section}.${key}`));
    }
    const upstream = Object.fromEntries(backends)['upstream']!;
    expected.push(...Object.keys(upstream).map((key) => `gateway.backend.${key} (upstream)`));

    const documented = rows.map((row) => row.key);
    for (const key of expected) expect(documented, key).toContain(key);
    for (const row of rows) {
      const upstreamKey = /^gateway\.backend\.(\w+) \(upstream\)$/.exec(row.key)?.[1];
      const sectionKey = /^gateway\.(admin|rateLimit)\.(\w+)$/.exec(row.key);
      const property = upstreamKey
        ? upstream[upstreamKey]
        : sectionKey
          ? (sections[sectionKey[1]!]!['properties'] as Record<string, JsonSchema>)[sectionKey[2]!]
          : row.key === 'gateway.logLevel'
            ? sections['logLevel']
            : undefined;
      if (property === undefined) continue; // the sandbox world row points to its own README
      if (row.key === 'gateway.rateLimit.actions') continue; // a list of 19 names: the README names the rule
      if (row.key === 'gateway.backend.url (upstream)') continue; // required: no default
      expectDefaultShown(row.key, property, row.defaultCell);
    }
  });
});
