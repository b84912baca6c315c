import { afterEach, describe, expect, it } from 'vitest';
import { call, postJson, startServer, stopAll } from './helpers.js';

afterEach(stopAll);

describe('http-server routes', () => {
  it('answers GET /:action with params from the query, coerced by the router', async () => {
    const { url, backend } = await startServer();
    const reply = await call(`${url}/send_private_msg?user_id=123&message=hi`);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ status: 'ok', retcode: 0, data: { message_id: expect.any(Number) } });
    expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
    expect(backend.calls.at(-1)).toMatchObject({ action: 'send_private_msg', params: { user_id: 123 } });
  });

  it('accepts a trailing slash: /:action/', async () => {
    const { url } = await startServer();
    const reply = await call(`${url}/get_login_info/`);
    expect(reply.status).toBe(200);
    expect(reply.body.data).toEqual({ user_id: 10001, nickname: 'FakeBot' });
  });

  it('merges query and JSON body on POST /:action, body winning', async () => {
    const { url } = await startServer();
    const reply = await postJson(`${url}/echo_params?a=1&b=query`, { b: 'body', c: [1, 2] });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toEqual({ a: '1', b: 'body', c: [1, 2] });
  });

  it('parses url-encoded form bodies, repeated fields as arrays', async () => {
    const { url } = await startServer();
    const reply = await call(`${url}/echo_params`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'x=1&y=%E4%BD%A0%E5%A5%BD&z=a&z=b',
    });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toEqual({ x: '1', y: '你好', z: ['a', 'b'] });
  });

  it('tries a body without a content type as JSON', async () => {
    const { url } = await startServer();
    const response = await fetch(`${url}/echo_params`, {
      method: 'POST',
      body: new Uint8Array(Buffer.from('{"k":"v"}')),
    });
    expect(response.headers.get('content-type')).toMatch(/json/);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: unknown }).data).toEqual({ k: 'v' });
  });

  it('treats an empty JSON body as no parameters', async () => {
    const { url } = await startServer();
    const reply = await call(`${url}/get_login_info`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    expect(reply.status).toBe(200);
  });

  it('never passes access_token on as a parameter', async () => {
    const { url } = await startServer();
    const reply = await call(`${url}/echo_params?access_token=&q=1`);
    expect(reply.body.data).toEqual({ q: '1' });
  });

  it('POST / runs {action, params, echo} and copies echo back exactly', async () => {
    const { url } = await startServer();
    for (const echo of [0, '', 'abc', { nested: [1, null] }, false, null]) {
      const reply = await postJson(`${url}/`, { action: 'get_login_info', echo });
      expect(reply.status).toBe(200);
      expect(Object.hasOwn(reply.body, 'echo')).toBe(true);
      expect(reply.body.echo).toEqual(echo);
    }
    const withoutEcho = await postJson(url, { action: 'echo_params', params: { n: 1 } });
    expect(withoutEcho.body).toMatchObject({ status: 'ok', data: { n: 1 } });
    expect(Object.hasOwn(withoutEcho.body, 'echo')).toBe(false);
  });

  it('POST / keeps the echo on a failed action and on an unknown action', async () => {
    const { url } = await startServer();
    const unknown = await postJson(url, { action: 'no_such_action', echo: 7 });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ status: 'failed', retcode: 1404, data: null, echo: 7 });
    const failed = await postJson(url, { action: 'always_fails', echo: 'x' });
    expect(failed.status).toBe(200);
    expect(failed.body).toMatchObject({ status: 'failed', retcode: 100, echo: 'x' });
  });

  it('POST / accepts a form body: action and echo fields, the rest are params', async () => {
    const { url } = await startServer();
    const reply = await call(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'action=echo_params&echo=e1&p=2',
    });
    expect(reply.body).toMatchObject({ status: 'ok', data: { p: '2' }, echo: 'e1' });
  });

  it('maps retcodes to statuses: 1404 -> 404, 100 -> 200, 1500 -> 500, _async -> 200', async () => {
    const { url } = await startServer();
    expect((await call(`${url}/nope`)).status).toBe(404);
    expect((await call(`${url}/always_fails`)).body).toMatchObject({ retcode: 100, status: 'failed' });
    const thrown = await call(`${url}/always_throws`);
    expect(thrown.status).toBe(500);
    expect(thrown.body).toMatchObject({ retcode: 1500, status: 'failed', data: null });
    const asynchronous = await call(`${url}/get_login_info_async`);
    expect(asynchronous.status).toBe(200);
    expect(asynchronous.body).toMatchObject({ status: 'async', retcode: 1 });
  });

  it('answers other methods with 405 and an Allow header', async () => {
    const { url } = await startServer({ enableCors: false });
    for (const method of ['PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']) {
      const response = await fetch(`${url}/get_login_info`, { method });
      expect(response.status, method).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, POST');
      if (method !== 'HEAD')
        expect(await response.json()).toMatchObject({ status: 'failed', retcode: 1400, data: null });
    }
    const root = await call(`${url}/`);
    expect(root.status).toBe(405);
    expect(root.headers.get('allow')).toBe('POST');
    expect(String(root.body.message)).toMatch(/POST/);
  });

  it('answers an unknown path with 404 and a OneBot body', async () => {
    const { url } = await startServer();
    const reply = await call(`${url}/a/b/c`);
    expect(reply.status).toBe(404);
    expect(reply.body).toMatchObject({ status: 'failed', retcode: 1404, data: null });
    expect(reply.body.wording).toBe(reply.body.message);
  });
});
