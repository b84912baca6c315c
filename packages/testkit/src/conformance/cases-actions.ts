import { expect } from 'vitest';
import { FAKE_SELF_ID } from '../fake-backend.js';
import type { ConformanceCase } from './case-types.js';

const nestedDeeply = (depth: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = [value];
  return value;
};

/** Actions (protocol.md section 3): answers, echo, retcodes, `_async`, coercion, bad input. */
export const actionCases: ConformanceCase[] = [
  {
    group: 'actions',
    name: 'answers a standard action with the OneBot response shape',
    needs: ['servesActions'],
    async run(t) {
      const h = await t.start();
      const response = await h.answer({ action: 'get_login_info' });
      expect(response).toEqual({
        status: 'ok',
        retcode: 0,
        data: { user_id: FAKE_SELF_ID, nickname: 'FakeBot' },
        message: '',
        wording: '',
      });
    },
  },
  {
    group: 'actions',
    name: 'copies echo back exactly, falsy values included, and omits it when absent',
    needs: ['servesActions'],
    async run(t) {
      const h = await t.start();
      const echoes: unknown[] = [0, '', false, null, 'abc', 42, { a: [1, { b: 2 }] }, [1, 'x']];
      for (const echo of echoes) {
        const response = await h.answer({ action: 'get_login_info', echo });
        expect(response, `echo ${JSON.stringify(echo)}`).toHaveProperty('echo');
        expect(response.echo).toEqual(echo);
      }
      const without = await h.answer({ action: 'get_login_info' });
      expect(without).not.toHaveProperty('echo');
    },
  },
  {
    group: 'actions',
    name: 'maps failures to retcodes: unknown 1404, failed 100, thrown 1500, echo kept',
    needs: ['servesActions'],
    async run(t) {
      const h = await t.start();
      expect(await h.answer({ action: 'no_such_action', echo: 'u' })).toMatchObject({
        status: 'failed',
        retcode: 1404,
        echo: 'u',
      });
      expect(await h.answer({ action: 'always_fails', echo: 1 })).toMatchObject({
        status: 'failed',
        retcode: 100,
        echo: 1,
      });
      expect(await h.answer({ action: 'always_throws', echo: 2 })).toMatchObject({
        status: 'failed',
        retcode: 1500,
        echo: 2,
      });
    },
  },
  {
    group: 'actions',
    name: 'answers <action>_async at once with status async, retcode 1, and runs it in the background',
    needs: ['servesActions'],
    async run(t) {
      const h = await t.start();
      const response = await h.answer({
        action: 'send_private_msg_async',
        params: { user_id: 5, message: 'bg' },
        echo: 'async',
      });
      expect(response).toMatchObject({ status: 'async', retcode: 1, data: null, echo: 'async' });
      expect(await t.backend.callOf('send_private_msg', t.timeoutMs)).toMatchObject({
        params: { user_id: 5 },
      });
    },
  },
  {
    group: 'actions',
    name: 'coerces parameters by the action schema',
    needs: ['servesActions'],
    async run(t) {
      const h = await t.start();
      const response = await h.answer({
        action: 'send_private_msg',
        params: { user_id: '123', message: 'hi', extra_key: 1 },
      });
      expect(response).toMatchObject({ status: 'ok', retcode: 0 });
      expect(t.backend.calls.at(-1)).toMatchObject({
        action: 'send_private_msg',
        params: { user_id: 123 },
      });
    },
  },
  {
    group: 'actions',
    name: 'answers bad input with 1400 instead of failing or crashing',
    needs: ['servesActions'],
    async run(t) {
      const h = await t.start();
      const malformed = await h.answer('{"action": "get_login_info", "echo": 1');
      expect(malformed).toMatchObject({ status: 'failed', retcode: 1400 });
      expect(malformed, 'no echo on an unparsable request').not.toHaveProperty('echo');
      expect(await h.answer('[1, 2]')).toMatchObject({ retcode: 1400 });
      expect(await h.answer({ action: 5, echo: 'a' })).toMatchObject({ retcode: 1400, echo: 'a' });
      expect(await h.answer({ params: {}, echo: 'b' })).toMatchObject({ retcode: 1400, echo: 'b' });
      expect(await h.answer({ action: 'echo_params', params: 'x', echo: 'c' })).toMatchObject({
        retcode: 1400,
        echo: 'c',
      });
      expect(
        await h.answer({ action: 'send_private_msg', params: { message: 'hi' }, echo: 'd' }),
      ).toMatchObject({ retcode: 1400, echo: 'd' });
      expect(
        await h.answer({ action: 'send_private_msg', params: { user_id: 'abc', message: 'hi' } }),
      ).toMatchObject({ retcode: 1400 });
      const deep = await h.answer({
        action: 'echo_params',
        params: { deep: nestedDeeply(200) },
        echo: 'e',
      });
      expect(deep).toMatchObject({ retcode: 1400, echo: 'e' });
      expect(String(deep.message)).toMatch(/deep/);
      expect(await h.answer({ action: 'get_login_info', echo: 'still alive' })).toMatchObject({
        retcode: 0,
        echo: 'still alive',
      });
      expect(t.backend.calls.filter((c) => c.action === 'send_private_msg')).toHaveLength(0);
    },
  },
];
