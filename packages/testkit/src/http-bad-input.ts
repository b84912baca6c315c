import { describe, expect, it } from 'vitest';
import { floodCases } from './http-bad-input-floods.js';
import { deepArray, useBadInputFixture, type HttpBadInputOptions } from './http-bad-input-fixture.js';
import { websocketUpgradeCases } from './http-bad-input-websocket.js';

export type { HttpBadInputOptions, HttpBadInputServer, ListeningAdapter } from './http-bad-input-fixture.js';
export { echoFrameOfBytes, startOnFreePort } from './http-bad-input-fixture.js';

/**
 * Bad input on the HTTP API (protocol.md section 7 statuses) and on the
 * WebSocket upgrade of `enableWebsocket`, shared by every adapter built on
 * http-server. Call at the top level of a test file; it registers its own
 * describe/it blocks and stops what it starts. Floods and pipelining are in
 * http-bad-input-floods.ts, the WebSocket cases in http-bad-input-websocket.ts.
 */
export function runHttpBadInputCases(options: HttpBadInputOptions): void {
  describe(`${options.name} HTTP bad input (shared)`, () => {
    const fixture = useBadInputFixture(options);
    const { start, stillServes, postJson } = fixture;

    it('accepts a body exactly at maxBodySize; one byte over (content-length or chunked) gets 413 with a OneBot body; the server keeps serving', async () => {
      const limit = 1024;
      const { url } = await start({ maxBodySize: limit });
      const envelope = '{"pad":""}'.length;
      const at = JSON.stringify({ pad: 'x'.repeat(limit - envelope) });
      expect(Buffer.byteLength(at)).toBe(limit);
      const ok = await postJson(`${url}/echo_params`, at);
      expect(ok.status).toBe(200);
      expect(JSON.parse(ok.text)).toMatchObject({
        status: 'ok',
        data: { pad: 'x'.repeat(limit - envelope) },
      });
      const over = JSON.stringify({ pad: 'x'.repeat(limit - envelope + 1) });
      for (const headers of [{}, { 'transfer-encoding': 'chunked' }] as Array<Record<string, string>>) {
        const refused = await postJson(`${url}/echo_params`, over, headers);
        expect(refused.status, JSON.stringify(headers)).toBe(413);
        expect(JSON.parse(refused.text)).toMatchObject({
          status: 'failed',
          retcode: 1429,
          data: null,
          message: expect.stringMatching(/maxBodySize/),
        });
        await stillServes(url);
      }
    });

    it('answers a far larger chunked body without a content-length with 413, not a hang', async () => {
      const { url, backend } = await start({ maxBodySize: 1024 });
      const refused = await postJson(
        url,
        JSON.stringify({ action: 'echo_params', params: { pad: 'y'.repeat(1024 * 1024) } }),
        {
          'transfer-encoding': 'chunked',
        },
      );
      expect(refused.status).toBe(413);
      expect(JSON.parse(refused.text)).toMatchObject({ retcode: 1429 });
      expect(backend.calls).toHaveLength(0);
      await stillServes(url);
    });

    it('refuses invalid UTF-8 in a JSON body with 400 instead of replacing it', async () => {
      const { url, backend } = await start();
      const invalid = Buffer.concat([
        Buffer.from('{"a":"'),
        Buffer.from([0xc3, 0x28, 0xff]),
        Buffer.from('"}'),
      ]);
      for (const path of ['/echo_params', '/']) {
        const refused = await postJson(`${url}${path}`, invalid);
        expect(refused.status, path).toBe(400);
        expect(JSON.parse(refused.text)).toMatchObject({
          status: 'failed',
          retcode: 1400,
          message: expect.stringMatching(/UTF-8/),
        });
      }
      expect(backend.calls).toHaveLength(0);
      await stillServes(url);
    });

    it('answers nesting 1400 levels deep with 400 / 1400, never 500', async () => {
      const { url, backend } = await start();
      const onPath = await postJson(`${url}/echo_params`, `{"x":${deepArray(1400)}}`);
      expect(onPath.status).toBe(400);
      expect(JSON.parse(onPath.text)).toMatchObject({
        retcode: 1400,
        message: expect.stringMatching(/deeper than/),
      });
      const onRoot = await postJson(
        url,
        `{"action":"echo_params","params":{"x":${deepArray(1400)}},"echo":"deep"}`,
      );
      expect(onRoot.status).toBe(400);
      expect(JSON.parse(onRoot.text)).toMatchObject({ retcode: 1400, echo: 'deep' });
      expect(backend.calls).toHaveLength(0);
      await stillServes(url);
    });

    it('answers wrong parameter types and missing parameters with 400 naming the parameter', async () => {
      const { url, backend } = await start();
      const cases: Array<[string, string, RegExp]> = [
        ['/send_private_msg', JSON.stringify({ user_id: 'not-a-number', message: 'hi' }), /user_id/],
        ['/send_group_msg', JSON.stringify({ group_id: { a: 1 }, message: 'hi' }), /group_id/],
        ['/send_group_msg', JSON.stringify({ message: 'hi' }), /group_id/],
        ['/', JSON.stringify({ action: 'send_private_msg', params: { message: 'hi' }, echo: 7 }), /user_id/],
      ];
      for (const [path, body, names] of cases) {
        const refused = await postJson(`${url}${path}`, body);
        expect(refused.status, body).toBe(400);
        expect(JSON.parse(refused.text)).toMatchObject({
          status: 'failed',
          retcode: 1400,
          message: expect.stringMatching(names),
        });
      }
      const missingByQuery = await fetch(`${url}/send_group_msg?message=hi`);
      expect(missingByQuery.status).toBe(400);
      expect(backend.calls).toHaveLength(0);
    });

    floodCases(fixture);

    describe('WebSocket upgrade (enableWebsocket), frame limit = maxBodySize', () => {
      websocketUpgradeCases(fixture);
    });
  });
}
