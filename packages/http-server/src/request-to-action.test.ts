import { describe, expect, it } from 'vitest';
import { parseFormFields } from './body-parsers.js';
import { HttpRefusal } from './onebot-reply.js';
import { actionFromPath, actionFromRootBody } from './request-to-action.js';

describe('actionFromPath', () => {
  it('merges query then body, body winning, and drops access_token', () => {
    const request = actionFromPath(
      'send_msg',
      { access_token: 't', a: '1', b: 'q' },
      { kind: 'json', value: { b: 'body', access_token: 'x' } },
    );
    expect(request).toEqual({ action: 'send_msg', params: { a: '1', b: 'body', access_token: 'x' } });
  });

  it('drops access_token from form fields too, and passes values as sent', () => {
    expect(actionFromPath('x', {}, { kind: 'form', fields: { access_token: 't', n: ['1', '2'] } })).toEqual({
      action: 'x',
      params: { n: ['1', '2'] },
    });
  });

  it('refuses a JSON body that is not an object with a 400 BAD_REQUEST', () => {
    for (const value of [[], 1, 'x', null, true]) {
      const attempt = () => actionFromPath('x', {}, { kind: 'json', value });
      expect(attempt).toThrow(HttpRefusal);
      try {
        attempt();
      } catch (error) {
        expect(error).toMatchObject({ code: 'BAD_REQUEST', retcode: 1400, status: 400 });
      }
    }
  });
});

describe('actionFromRootBody', () => {
  it('passes a JSON body through untouched for the router', () => {
    const value = { action: 'a', params: { x: 1 }, echo: 0 };
    expect(actionFromRootBody({ kind: 'json', value })).toBe(value);
  });

  it('reads action and echo from form fields; the rest are params', () => {
    expect(
      actionFromRootBody({ kind: 'form', fields: { action: 'a', echo: '', x: '1', access_token: 't' } }),
    ).toEqual({
      action: 'a',
      params: { x: '1' },
      echo: '',
    });
    expect(actionFromRootBody({ kind: 'form', fields: { action: 'a' } })).not.toHaveProperty('echo');
  });

  it('refuses a missing body', () => {
    expect(() => actionFromRootBody(undefined)).toThrow(/needs a JSON body/);
  });
});

describe('parseFormFields', () => {
  it('decodes, keeps empty values and turns repeats into arrays', () => {
    expect(parseFormFields('a=1&b=&c=x%20y&c=z&d=%E4%BD%A0+1')).toEqual({
      a: '1',
      b: '',
      c: ['x y', 'z'],
      d: '你 1',
    });
  });

  it('is safe with keys like __proto__', () => {
    const fields = parseFormFields('__proto__=x&constructor=y');
    expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
    expect(fields.__proto__).toBe('x');
  });
});
