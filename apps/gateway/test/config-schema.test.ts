import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import fc from 'fast-check';
import JSON5 from 'json5';
import { beforeAll, describe, expect, it } from 'vitest';
import { adapterKinds, defaultConfigText } from '@onebot-gateway/core';
import type { JsonSchema } from '@onebot-gateway/core/schema';
import { checkConfigText } from '../src/commands/check.js';
import { starterConfigText } from '../src/commands/starter-config.js';
import { buildGatewayConfigSchema } from '../src/schema/gateway-schema.js';

/*
 * The emitted JSON Schema and the parser must tell the same story: every
 * shipped config validates with a standard validator (ajv, with the type
 * coercion NapCat validates with), and on random entries the two agree on
 * valid and invalid alike. Where they differ on purpose, the last test
 * lists it.
 */

const repo = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));

let schema: JsonSchema;
let validate: ValidateFunction;

beforeAll(async () => {
  schema = await buildGatewayConfigSchema();
  validate = new Ajv({ coerceTypes: true, strict: true, allowUnionTypes: true, allErrors: true }).compile(
    schema,
  );
});

/** ajv's verdict on a copy (coercion rewrites values in place). */
function schemaAccepts(config: unknown): boolean {
  return validate(structuredClone(config));
}

async function parserAccepts(config: unknown): Promise<boolean> {
  return (await checkConfigText(JSON.stringify(config), 'sample.json')).ok;
}

function shippedConfigs(): Array<[string, string]> {
  const fixtureDir = repo('packages/core/test/fixtures/config/');
  const fixtures = readdirSync(fixtureDir)
    .filter((name) => /\.json5?$/.test(name))
    .map((name): [string, string] => [name, readFileSync(fixtureDir + name, 'utf8')]);
  return [
    ...fixtures,
    ['examples/napcat-onebot11.json', readFileSync(repo('examples/napcat-onebot11.json'), 'utf8')],
    ['config/onebot11.example.json', readFileSync(repo('config/onebot11.example.json'), 'utf8')],
    ['the default config', defaultConfigText()],
    ['init --sandbox', starterConfigText({ host: '127.0.0.1', accessToken: '', adminToken: '' })],
    [
      'init --relay',
      starterConfigText({
        relay: { url: 'ws://127.0.0.1:3001', token: 't' },
        host: '0.0.0.0',
        accessToken: 'a',
        adminToken: 'b',
      }),
    ],
  ];
}

describe('the config JSON Schema', () => {
  it('is valid draft-07 that ajv compiles in strict mode (no unknown keywords)', () => {
    expect(schema['$schema']).toBe('http://json-schema.org/draft-07/schema#');
    expect(typeof validate).toBe('function');
  });

  it('describes every option of every adapter kind, with its default where it has one', () => {
    const definitions = schema['definitions'] as Record<string, JsonSchema>;
    expect(Object.keys(definitions).sort()).toEqual([...adapterKinds].sort());
    for (const kind of adapterKinds) {
      const properties = definitions[kind]!['properties'] as Record<string, JsonSchema>;
      for (const [key, property] of Object.entries(properties)) {
        expect(property['description'], `${kind}.${key}`).toMatch(/\w{3}/);
      }
      expect(properties['name']!['default']).toEqual(expect.any(String));
    }
    const websocketServers = definitions['websocketServers']!['properties'] as Record<string, JsonSchema>;
    expect(websocketServers['port']).toMatchObject({ type: ['integer', 'null'], minimum: 0, maximum: 65535 });
    expect(websocketServers['token']).toMatchObject({ writeOnly: true, default: '' });
  });

  it.each(shippedConfigs())('accepts %s, as the parser does', async (name, text) => {
    const raw: unknown = JSON5.parse(text);
    expect(await parserAccepts(raw), `${name} parses`).toBe(true);
    const valid = schemaAccepts(raw);
    expect(validate.errors ?? [], name).toEqual([]);
    expect(valid).toBe(true);
  });
});

/*
 * Random entries drawn from the schema itself: for each property, absent or
 * a value that is right or wrong for its declared type. The domain leaves
 * out the spellings listed in the last test, where the two differ on purpose.
 */
function typesOf(property: JsonSchema): string[] {
  const type = property['type'];
  if (Array.isArray(type)) return type as string[];
  if (typeof type === 'string') return [type];
  const variants = (property['anyOf'] ?? property['allOf'] ?? []) as JsonSchema[];
  return variants.flatMap(typesOf);
}

const junk = fc.constantFrom<unknown>({}, [], 'abc', 1.5, { nested: true });

function valueFor(key: string, property: JsonSchema): fc.Arbitrary<unknown> {
  const types = typesOf(property);
  if (key === 'filter') {
    // The schema checks the shape (an object); operators are the compiler's job (see below).
    return fc.constantFrom({ group_id: { $in: [1, 2] } }, { post_type: 'message' }, null, 'abc', []);
  }
  if (key === 'url') {
    return fc.constantFrom(
      'ws://127.0.0.1:8080/onebot',
      'wss://bot.example/ws',
      'http://localhost:8080/post',
      'https://bot.example/post?x=1',
      'ftp://bot.example/',
      'not a url',
      '',
      '  ',
      null,
      42,
    );
  }
  if (types.includes('integer')) {
    const min = (property['minimum'] as number | undefined) ?? 0;
    const max = (property['maximum'] as number | undefined) ?? 2 ** 40;
    const integers = fc.oneof(fc.integer({ min: min - 5, max: min + 5 }), fc.integer({ min, max }));
    return fc.oneof(integers, integers.map(String), fc.constant(max + 1), fc.constant(null), junk);
  }
  if (types.includes('number')) {
    return fc.oneof(
      fc.double({ min: -2, max: 100, noNaN: true }),
      fc.constantFrom('0.5', '0', '-1', null),
      junk,
    );
  }
  if (types.includes('boolean')) {
    return fc.constantFrom(true, false, 0, 1, 2, 'true', 'false', null, 'abc', {});
  }
  if (Array.isArray(property['enum'])) {
    return fc.oneof(
      fc.constantFrom(...(property['enum'] as string[])),
      fc.constantFrom('other', 5, null, {}),
    );
  }
  if (types.includes('array') && types.includes('string')) {
    return fc.oneof(
      fc.array(fc.oneof(fc.string(), fc.integer())),
      fc.string(),
      fc.constantFrom(null, {}, 5, [{}]),
    );
  }
  if (types.includes('object') && property['properties'] !== undefined) {
    const files = fc.constantFrom('cert.pem', 'key.pem', '', '   ', null, {});
    return fc.oneof(
      fc.record({ cert: files, key: files, ca: files }, { requiredKeys: [] }),
      fc.constantFrom(null, 'cert.pem', []),
    );
  }
  if (types.includes('object')) return fc.oneof(fc.constant({ sides: 6 }), fc.constantFrom(null, [], 'x', 5));
  if (types.includes('string')) {
    return fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.constantFrom('', '  ', null, {}, []));
  }
  return junk;
}

function entryFor(kind: string): fc.Arbitrary<Record<string, unknown>> {
  const definitions = schema['definitions'] as Record<string, JsonSchema>;
  const properties = definitions[kind]!['properties'] as Record<string, JsonSchema>;
  const model = Object.fromEntries(
    Object.entries(properties).map(([key, property]) => [key, valueFor(key, property)]),
  );
  return fc.record(model, { requiredKeys: [] });
}

describe('the JSON Schema and the parser agree', () => {
  it.each([...adapterKinds])('on random %s entries, valid and invalid', async (kind) => {
    await fc.assert(
      fc.asyncProperty(entryFor(kind), async (entry) => {
        // The admin API is off so a random port cannot clash with it (a cross-entry rule).
        const config = { network: { [kind]: [entry] }, gateway: { admin: { enable: false } } };
        expect({ entry, schema: schemaAccepts(config) }).toEqual({
          entry,
          schema: await parserAccepts(config),
        });
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    [{ type: 'upstream', url: 'ws://127.0.0.1:3001', maxPendingActions: '50', pingInterval: 1000 }, true],
    [{ type: 'upstream', url: 'ws://127.0.0.1:3001', maxPendingActions: 0 }, false],
    [{ type: 'upstream', url: 'ftp://127.0.0.1' }, false],
    [{ type: 'upstream' }, false],
    [{ url: 'ws://127.0.0.1:3001' }, false],
    [{ type: 'sandbox', selfId: '123', friends: [{ user_id: 5, nickname: 'Eve' }] }, true],
    [{ groups: [{ group_id: 1, members: [{ user_id: 2, role: 'admin' }] }] }, true],
    [{ friends: [{ nickname: 'no id' }] }, false],
    [{ groups: [{ group_id: 1, members: [{ user_id: 2, role: 'boss' }] }] }, false],
    [{ historyLimit: 0 }, false],
  ])('on the backend %j: %s', async (backend, valid) => {
    const config = { network: {}, gateway: { backend } };
    expect({ parser: await parserAccepts(config), schema: schemaAccepts(config) }).toEqual({
      parser: valid,
      schema: valid,
    });
  });

  it('documents where they differ on purpose', async () => {
    const entry = (extra: Record<string, unknown>) => ({
      network: { websocketServers: [{ name: 'ws', ...extra }] },
    });
    // [sample, parser's verdict, ajv's verdict, why]
    const differences: Array<[Record<string, unknown>, boolean, boolean]> = [
      // Enumerations are case-insensitive to the parser.
      [entry({ messagePostFormat: 'Array' }), true, false],
      // ajv turns booleans into numbers and strings, and reads hex and exponents; the parser does not.
      [entry({ port: true }), false, true],
      [entry({ token: true }), false, true],
      [entry({ port: '0x10' }), false, true],
      [entry({ port: '3e3' }), false, true],
      // A number is no file name to the parser; ajv makes it one.
      [entry({ tls: { cert: 5, key: 'key.pem' } }), false, true],
      // Filter operators are checked by compiling the query, not by the schema.
      [entry({ filter: { group_id: { $nope: 1 } } }), false, true],
      // Names must be unique and listeners must not share a port: rules across entries.
      [{ network: { websocketServers: [{ name: 'a' }, { name: 'a', port: 3002 }] } }, false, true],
    ];
    for (const [sample, parser, ajv] of differences) {
      expect({ sample, parser: await parserAccepts(sample), ajv: schemaAccepts(sample) }).toEqual({
        sample,
        parser,
        ajv,
      });
    }
  });
});
