import { runHttpBadInputCases, startOnFreePort } from '@onebot-gateway/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServerAdapter } from '../src/index.js';
import { call, postJson, startServer, stopAll } from './helpers.js';
import { rawRequest } from './raw-request.js';

afterEach(stopAll);

// Body limits (content-length and chunked), invalid UTF-8, deep nesting, wrong and missing
// params, pipelined floods, a client that never reads, memory under oversized bodies, and
// binary / oversized / invalid UTF-8 frames on the enableWebsocket upgrade.
runHttpBadInputCases({
  name: 'http-server',
  start: startOnFreePort('http-server', createHttpServerAdapter),
});

function deepArray(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

describe('http-server bad input', () => {
  it('answers malformed JSON with 400 and a message, not a crash', async () => {
    const { url } = await startServer();
    for (const body of ['{"action":', '{nope}', 'undefined', '\u0000']) {
      const reply = await call(`${url}/echo_params`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(reply.status, body).toBe(400);
      expect(reply.body).toMatchObject({ status: 'failed', retcode: 1400, data: null });
      expect(String(reply.body.message)).toMatch(/not valid JSON/);
      expect(Object.hasOwn(reply.body, 'echo')).toBe(false);
    }
  });

  it('answers a JSON body that is not an object of params with 400', async () => {
    const { url } = await startServer();
    for (const body of ['[1,2]', '42', '"text"', 'null']) {
      const reply = await call(`${url}/echo_params`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(reply.status, body).toBe(400);
      expect(String(reply.body.message)).toMatch(/JSON object of parameters/);
    }
  });

  it('answers POST / without a usable request with 400', async () => {
    const { url } = await startServer();
    const empty = await call(url, { method: 'POST' });
    expect(empty.status).toBe(400);
    expect(String(empty.body.message)).toMatch(/needs a JSON body/);
    for (const body of [[1], 'x', { params: {} }, { action: 5 }, { action: 'echo_params', params: [1] }]) {
      const reply = await postJson(url, body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.body.retcode).toBe(1400);
    }
  });

  it('answers wrong and missing parameter types with 400 from the router', async () => {
    const { url, backend } = await startServer();
    const wrong = await postJson(`${url}/send_private_msg`, { user_id: 'not-a-number', message: 'hi' });
    expect(wrong.status).toBe(400);
    expect(String(wrong.body.message)).toMatch(/user_id/);
    const missing = await call(`${url}/send_group_msg?message=hi`);
    expect(missing.status).toBe(400);
    expect(String(missing.body.message)).toMatch(/group_id/);
    expect(backend.calls).toHaveLength(0);
  });

  it('answers unsupported content types with 406', async () => {
    const { url } = await startServer();
    for (const type of [
      'text/plain',
      'application/xml',
      'multipart/form-data; boundary=x',
      'application/json5',
    ]) {
      const reply = await call(`${url}/echo_params`, {
        method: 'POST',
        headers: { 'content-type': type },
        body: '{}',
      });
      expect(reply.status, type).toBe(406);
      expect(reply.body).toMatchObject({ status: 'failed', retcode: 1400, data: null });
      expect(String(reply.body.message)).toMatch(/application\/json/);
    }
    const garbage = await rawRequest(`${url}/echo_params`, {
      headers: { 'content-type': '///' },
      body: '{}',
    });
    expect(garbage.status).toBe(406);
  });

  it('accepts JSON with a charset parameter', async () => {
    const { url } = await startServer();
    const reply = await call(`${url}/echo_params`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: '{"a":"ü"}',
    });
    expect(reply.body.data).toEqual({ a: 'ü' });
  });

  it('refuses invalid UTF-8 in JSON and form bodies with 400', async () => {
    const { url } = await startServer();
    const invalid = Buffer.concat([
      Buffer.from('{"a":"'),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from('"}'),
    ]);
    for (const type of ['application/json', 'application/x-www-form-urlencoded']) {
      const reply = await rawRequest(`${url}/echo_params`, {
        headers: { 'content-type': type },
        body: invalid,
      });
      expect(reply.status, type).toBe(400);
      expect(JSON.parse(reply.text)).toMatchObject({
        retcode: 1400,
        message: expect.stringMatching(/UTF-8/),
      });
    }
  });

  it('answers deep nesting with 1400 / 400, never 500, and keeps the echo when only params are deep', async () => {
    const { url } = await startServer();
    const deepParams = `{"action":"echo_params","params":{"x":${deepArray(200)}},"echo":"e"}`;
    const reply = await call(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: deepParams,
    });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({
      retcode: 1400,
      echo: 'e',
      message: expect.stringMatching(/deeper than 128/),
    });
    const deepEcho = `{"action":"echo_params","echo":${deepArray(300)}}`;
    const noEcho = await call(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: deepEcho,
    });
    expect(noEcho.status).toBe(400);
    expect(Object.hasOwn(noEcho.body, 'echo')).toBe(false);
    // Far deeper than any stack: still a 4xx answer and the server lives on.
    const abyss = await call(`${url}/echo_params`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"x":${deepArray(200_000)}}`,
    });
    expect(abyss.status).toBe(400);
    expect((await call(`${url}/get_login_info`)).status).toBe(200);
  });

  it('answers 413 above maxBodySize and accepts a body just under it', async () => {
    const limit = 1024;
    const { url } = await startServer({ maxBodySize: limit });
    const envelope = '{"pad":""}'.length;
    const under = JSON.stringify({ pad: 'x'.repeat(limit - envelope) });
    expect(Buffer.byteLength(under)).toBe(limit);
    const ok = await call(`${url}/echo_params`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: under,
    });
    expect(ok.status).toBe(200);
    const over = JSON.stringify({ pad: 'x'.repeat(limit - envelope + 1) });
    const tooLarge = await call(`${url}/echo_params`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: over,
    });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body).toMatchObject({
      status: 'failed',
      retcode: 1429,
      data: null,
      message: expect.stringMatching(/maxBodySize/),
    });
  });

  it('answers 413 for an oversized chunked body without a content-length', async () => {
    const { url } = await startServer({ maxBodySize: 1024 });
    const reply = await rawRequest(`${url}/echo_params`, {
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body: JSON.stringify({ pad: 'y'.repeat(5000) }),
    });
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.text)).toMatchObject({ retcode: 1429 });
  });

  it('answers a lying content-length with a 4xx, not a hang or a crash', async () => {
    const { url } = await startServer();
    const reply = await rawRequest(`${url}/echo_params`, {
      headers: { 'content-type': 'application/json', 'content-length': '2' },
      body: '{}',
    });
    expect(reply.status).toBe(200);
    const invalid = await rawRequest(`${url}/echo_params`, {
      headers: { 'content-type': 'application/json', 'content-length': 'abc' },
      body: '{}',
    });
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.text)).toMatchObject({
      status: 'failed',
      retcode: 1400,
      message: expect.stringMatching(/malformed/),
    });
  });

  it('answers a malformed percent-encoding in the path with a 4xx OneBot body', async () => {
    const { url } = await startServer();
    const reply = await rawRequest(`${url}/%E0%A4%A`, { method: 'GET' });
    expect(reply.status).toBeGreaterThanOrEqual(400);
    expect(reply.status).toBeLessThan(500);
    expect(JSON.parse(reply.text)).toMatchObject({ status: 'failed' });
  });
});
