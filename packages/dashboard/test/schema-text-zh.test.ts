import { describe, expect, it } from 'vitest';
// The builder behind the gateway's `GET /api/schema` and `onebot-gateway schema`, from source.
import { buildGatewaySchemaDocument } from '../../../apps/gateway/src/schema/gateway-schema.js';
import { schemaTextZhCN } from '../src/app/schema-text-zh.js';

/** Every `description` in a schema, wherever it sits; values (defaults, enums, consts) are data, not text. */
function descriptionsIn(schema: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(schema)) for (const item of schema) descriptionsIn(item, into);
  else if (typeof schema === 'object' && schema !== null) {
    for (const [key, value] of Object.entries(schema)) {
      if (key === 'description' && typeof value === 'string') into.add(value);
      else if (key !== 'default' && key !== 'enum' && key !== 'const' && key !== 'examples')
        descriptionsIn(value, into);
    }
  }
  return into;
}

describe('the zh-CN texts of the served schema', async () => {
  const document = await buildGatewaySchemaDocument();
  // What the dashboard shows: the config form's fields, each action's description and its params form.
  const shown = descriptionsIn(document.config, new Set());
  for (const action of Object.values(document.actions)) {
    if (action.description) shown.add(action.description);
    descriptionsIn(action.params, shown);
  }

  it('has an entry for every config field, action and action param description', () => {
    expect(shown.size).toBeGreaterThan(200);
    const missing = [...shown].filter((english) => schemaTextZhCN[english] === undefined);
    expect(missing).toEqual([]);
  });

  it('has no entry the schema no longer uses', () => {
    const stale = Object.keys(schemaTextZhCN).filter((english) => !shown.has(english));
    expect(stale).toEqual([]);
  });

  it('translates each text and keeps its `code` literals as they are', () => {
    const untranslated = Object.entries(schemaTextZhCN).filter(
      ([, chinese]) => !/\p{Script=Han}/u.test(chinese),
    );
    expect(untranslated).toEqual([]);
    const literals = (text: string) => [...text.matchAll(/`[^`]+`/g)].map((m) => m[0]);
    const lost = Object.entries(schemaTextZhCN).filter(([english, chinese]) =>
      literals(english).some((literal) => !chinese.includes(literal)),
    );
    expect(lost).toEqual([]);
  });
});
