import { expectLoopDelayBounded } from '@onebot-gateway/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { call, startServer, stopAll } from './helpers.js';

afterEach(stopAll);

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** `p0=1&p1=1&...`: `count` distinct parameters. */
function manyParameters(count: number): string {
  return Array.from({ length: count }, (_, index) => `p${index}=1`).join('&');
}

describe('parameter count limit (1000 per query string, form body or JSON params)', () => {
  it('answers 400 / 1400 naming the limit for a query string of 1001 parameters; 1000 pass', async () => {
    const server = await startServer();
    const over = await call(`${server.url}/echo_params?${manyParameters(1001)}`);
    expect(over.status).toBe(400);
    expect(over.body).toMatchObject({
      status: 'failed',
      retcode: 1400,
      message: 'the query string has more than 1000 parameters; send at most 1000',
    });
    expect(server.backend.calls).toEqual([]);

    const atLimit = await call(`${server.url}/echo_params?${manyParameters(1000)}`);
    expect(atLimit.status).toBe(200);
    expect(Object.keys(atLimit.body.data as object)).toHaveLength(1000);
  });

  it('still authenticates an access_token among the first 1000, and refuses with 400 after auth', async () => {
    const server = await startServer({ token: 'secret' });
    const refused = await call(`${server.url}/echo_params?access_token=secret&${manyParameters(1001)}`);
    expect(refused.status).toBe(400);
    const unauthenticated = await call(`${server.url}/echo_params?${manyParameters(1001)}`);
    expect(unauthenticated.status).toBe(401);
  });

  it('answers 400 / 1400 naming the limit for a form body of 1001 fields, on /:action and POST /', async () => {
    const server = await startServer();
    const path = await call(`${server.url}/echo_params`, {
      method: 'POST',
      headers: FORM,
      body: manyParameters(1001),
    });
    expect(path.status).toBe(400);
    expect(path.body).toMatchObject({
      retcode: 1400,
      message: 'the form body has more than 1000 parameters; send at most 1000',
    });
    const root = await call(server.url, {
      method: 'POST',
      headers: FORM,
      body: `action=echo_params&${manyParameters(1000)}`,
    });
    expect(root.status).toBe(400);
    expect(server.backend.calls).toEqual([]);

    const atLimit = await call(`${server.url}/echo_params`, {
      method: 'POST',
      headers: FORM,
      body: manyParameters(1000),
    });
    expect(atLimit.status).toBe(200);
  });

  it('answers 400 / 1400 for a JSON body of 1001 parameters, on /:action and POST /', async () => {
    const server = await startServer();
    const json = (count: number) =>
      Object.fromEntries(Array.from({ length: count }, (_, index) => [`p${index}`, 1]));
    const path = await call(`${server.url}/echo_params`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(json(1001)),
    });
    expect(path.status).toBe(400);
    expect(path.body).toMatchObject({
      retcode: 1400,
      message: '"params" has more than 1000 parameters; send at most 1000',
    });
    // With query parameters too, the body is counted before anything is copied.
    const withQuery = await call(`${server.url}/echo_params?q=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(json(1001)),
    });
    expect(withQuery.status).toBe(400);
    expect(withQuery.body).toMatchObject({ retcode: 1400, message: path.body.message });
    const root = await call(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'echo_params', params: json(1001), echo: 'e' }),
    });
    expect(root.status).toBe(400);
    expect(root.body).toMatchObject({
      retcode: 1400,
      message: '"params" has more than 1000 parameters; send at most 1000',
      echo: 'e',
    });
    expect(server.backend.calls).toEqual([]);
    const atLimit = await call(`${server.url}/echo_params`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(json(1000)),
    });
    expect(atLimit.status).toBe(200);
  });

  it('builds one params object: query, then form or JSON body winning, access_token and __proto__ handled', async () => {
    const server = await startServer();
    const form = await call(`${server.url}/echo_params?a=q&b=q&access_token=`, {
      method: 'POST',
      headers: FORM,
      body: 'b=form&__proto__=x&c=1&c=2',
    });
    expect(form.body.data).toEqual({ a: 'q', b: 'form', ['__proto__']: 'x', c: ['1', '2'] });
    const json = await call(`${server.url}/echo_params?a=q&b=q`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ b: 'json', access_token: 'kept' }),
    });
    expect(json.body.data).toEqual({ a: 'q', b: 'json', access_token: 'kept' });
  });

  it('250,000 form fields (2.3 MiB) block the loop about as long as one 2.3 MiB field', async () => {
    const server = await startServer();
    const hostile = manyParameters(250_000);
    const plain = `user_id=1&message=${'x'.repeat(hostile.length - 18)}`;
    expect(plain).toHaveLength(hostile.length);
    const statuses: Record<string, number[]> = { plain: [], hostile: [] };
    const post = (body: string, kind: 'plain' | 'hostile') => async () => {
      const reply = await call(`${server.url}/send_private_msg`, { method: 'POST', headers: FORM, body });
      statuses[kind]!.push(reply.status);
    };
    await expectLoopDelayBounded({ plain: post(plain, 'plain'), hostile: post(hostile, 'hostile') });
    expect(statuses).toEqual({ plain: [200, 200, 200], hostile: [400, 400, 400] });
  });
});
