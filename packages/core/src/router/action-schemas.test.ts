import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ActionMap, ActionName } from '../types/actions.js';
import { standardActionSchemas, type StandardActionSchemas } from './action-schemas.js';
import { coerceParams, type ParamType } from './param-schema.js';

/* Type-level: the schema table and ActionMap describe the same parameters. */

/** Declared keys of T, without index signatures. */
type KnownKeys<T> = keyof { [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K] };
/** Keys of T a caller must send. */
type RequiredKeys<T> = {
  [K in KnownKeys<T>]-?: object extends Pick<T, K & keyof T> ? never : K;
}[KnownKeys<T>];
type SchemaRequiredKeys<S> = { [K in keyof S]: S[K] extends { required: true } ? K : never }[keyof S];

type ParamKeysWithoutSchema = {
  [A in ActionName]: Exclude<KnownKeys<ActionMap[A]['params']>, keyof StandardActionSchemas[A]>;
};
type SchemaKeysNotInParams = {
  [A in ActionName]: Exclude<keyof StandardActionSchemas[A], KnownKeys<ActionMap[A]['params']>>;
};
type RequiredMismatch = {
  [A in ActionName]:
    | Exclude<RequiredKeys<ActionMap[A]['params']>, SchemaRequiredKeys<StandardActionSchemas[A]>>
    | Exclude<SchemaRequiredKeys<StandardActionSchemas[A]>, RequiredKeys<ActionMap[A]['params']>>;
};
/** Each is `never` exactly when no action has a mismatch; hover the mapped type to see which one. */
type Offenders<M> = { [A in keyof M]: [M[A]] extends [never] ? never : A }[keyof M];

const paramTypes = new Set<ParamType>([
  'integer',
  'number',
  'string',
  'boolean',
  'message',
  'object',
  'array',
  'any',
]);

describe('standardActionSchemas', () => {
  it('has a schema for exactly the actions of ActionMap, with the same params and required ones', () => {
    expectTypeOf<keyof StandardActionSchemas>().toEqualTypeOf<ActionName>();
    expectTypeOf<Offenders<ParamKeysWithoutSchema>>().toEqualTypeOf<never>();
    expectTypeOf<Offenders<SchemaKeysNotInParams>>().toEqualTypeOf<never>();
    expectTypeOf<Offenders<RequiredMismatch>>().toEqualTypeOf<never>();
  });

  it('covers every standard OneBot 11 action', () => {
    const standard = [
      'send_private_msg',
      'send_group_msg',
      'send_msg',
      'delete_msg',
      'get_msg',
      'get_forward_msg',
      'send_like',
      'set_group_kick',
      'set_group_ban',
      'set_group_anonymous_ban',
      'set_group_whole_ban',
      'set_group_admin',
      'set_group_anonymous',
      'set_group_card',
      'set_group_name',
      'set_group_leave',
      'set_group_special_title',
      'set_friend_add_request',
      'set_group_add_request',
      'get_login_info',
      'get_stranger_info',
      'get_friend_list',
      'get_group_info',
      'get_group_list',
      'get_group_member_info',
      'get_group_member_list',
      'get_group_honor_info',
      'get_cookies',
      'get_csrf_token',
      'get_credentials',
      'get_record',
      'get_image',
      'can_send_image',
      'can_send_record',
      'get_status',
      'get_version_info',
      'set_restart',
      'clean_cache',
      '.handle_quick_operation',
    ];
    const extensions = [
      'get_group_msg_history',
      'get_friend_msg_history',
      'send_group_forward_msg',
      'send_private_forward_msg',
      'send_forward_msg',
      'mark_msg_as_read',
      'get_guild_service_profile',
      'set_qq_profile',
      'get_group_system_msg',
      'set_essence_msg',
      'delete_essence_msg',
      'get_essence_msg_list',
    ];
    for (const action of [...standard, ...extensions])
      expect(Object.keys(standardActionSchemas)).toContain(action);
  });

  it('uses only known param types, and defaults that pass their own coercion', () => {
    for (const [action, schema] of Object.entries(standardActionSchemas)) {
      for (const [name, spec] of Object.entries(schema)) {
        expect(paramTypes.has(spec.type), `${action}.${name}`).toBe(true);
        if (spec.default !== undefined) {
          expect(spec.required, `${action}.${name} has a default, so it is not required`).not.toBe(true);
          expect(coerceParams({ [name]: spec.default }, { [name]: spec })[name]).toEqual(spec.default);
        }
      }
    }
  });

  it('fills the OneBot 11 defaults', () => {
    const defaults = (action: string) =>
      coerceParams({ group_id: 1, user_id: 2, flag: 'f' }, standardActionSchemas[action]!);
    expect(defaults('set_group_ban').duration).toBe(1800);
    expect(defaults('set_group_anonymous_ban').duration).toBe(1800);
    expect(defaults('set_group_whole_ban').enable).toBe(true);
    expect(defaults('set_group_admin').enable).toBe(true);
    expect(defaults('set_group_kick').reject_add_request).toBe(false);
    expect(defaults('set_group_leave').is_dismiss).toBe(false);
    expect(defaults('set_group_special_title').duration).toBe(-1);
    expect(defaults('set_friend_add_request').approve).toBe(true);
    expect(defaults('set_group_add_request').approve).toBe(true);
    expect(defaults('send_like').times).toBe(1);
    expect(defaults('get_group_info').no_cache).toBe(false);
  });

  it('coerces ids and booleans sent as strings for every action that takes them', () => {
    for (const [action, schema] of Object.entries(standardActionSchemas)) {
      const params: Record<string, unknown> = {};
      const expected: Record<string, unknown> = {};
      for (const [name, spec] of Object.entries(schema)) {
        if (spec.type === 'integer') [params[name], expected[name]] = ['42', 42];
        else if (spec.type === 'boolean') [params[name], expected[name]] = ['yes', true];
        else if (spec.type === 'string') [params[name], expected[name]] = [7, '7'];
        else if (spec.type === 'message') [params[name], expected[name]] = ['hi', 'hi'];
        else if (spec.type === 'object') [params[name], expected[name]] = [{ a: 1 }, { a: 1 }];
      }
      expect(coerceParams(params, schema), action).toMatchObject(expected);
    }
  });
});
