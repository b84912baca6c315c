import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildActionSchemas } from '../src/schema/index.js';
import { actionTypeSchemas } from '../src/schema/action-types.generated.js';
import { standardActionSchemas } from '../src/router/action-schemas.js';

const coreDir = fileURLToPath(new URL('..', import.meta.url));

describe('every action as JSON Schema', () => {
  it('the generated result shapes are those of src/types/actions.ts (regenerate with `pnpm generate`)', async () => {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['scripts/generate-action-types-schema.mjs', '--check'],
      { cwd: coreDir },
    );
    expect(stderr).toBe('');
    expect(stdout).toBe('');
  }, 60_000);

  it('describes every action the router knows, with params and result', () => {
    const actions = buildActionSchemas();
    expect(Object.keys(actions).sort()).toEqual(Object.keys(standardActionSchemas).sort());
    for (const [name, action] of Object.entries(actions)) {
      expect(action.description, name).toMatch(/\w{3}/);
      expect(action.params['type'], name).toBe('object');
      expect(actionTypeSchemas[name], name).toBeDefined();
    }
  });

  it("params are the router's table (types, required, defaults) with the declared descriptions", () => {
    const { set_group_ban, send_msg, send_private_msg, get_group_honor_info } = buildActionSchemas();
    expect(set_group_ban!.params).toMatchObject({
      required: ['group_id', 'user_id'],
      properties: { group_id: { type: 'integer' }, duration: { type: 'integer', default: 1800 } },
    });
    expect(send_private_msg!.params).toMatchObject({
      properties: { group_id: { type: 'integer', description: expect.stringContaining('temporary') } },
    });
    expect(send_msg!.params['required']).toEqual(['message']);
    // A declared enum carries over where the router's type agrees.
    expect(get_group_honor_info!.params).toMatchObject({ properties: { type: { type: 'string' } } });
  });

  it('every param the router coerces is declared in the action types, and the other way round', () => {
    for (const [name, declared] of Object.entries(actionTypeSchemas)) {
      const declaredKeys = Object.keys((declared.params['properties'] ?? {}) as object).sort();
      const routerKeys = Object.keys(standardActionSchemas[name] ?? {}).sort();
      expect([name, routerKeys]).toEqual([name, declaredKeys]);
    }
  });
});
