import { checkToken, extractToken, verifySignature } from '@onebot-gateway/core';
import { expect } from 'vitest';
import { FAKE_SELF_ID } from '../fake-backend.js';
import type { CaseContext, ConformanceCase } from './case-types.js';
import { isRejected } from './harness.js';
import type { AuthInput, EventStream } from './types.js';

export const CONFORMANCE_TOKEN = 'conformance-token-7f3a';

const junk: AuthInput[] = [
  { kind: 'none' },
  { kind: 'header', value: 'Token undefined' },
  { kind: 'header', value: 'Bearer junk' },
  { kind: 'query', token: '' },
  { kind: 'query', token: 'junk' },
];

const refusals: Array<[AuthInput, number]> = [
  [{ kind: 'none' }, 401],
  [{ kind: 'query', token: '' }, 401],
  [{ kind: 'header', value: 'Bearer' }, 401],
  [{ kind: 'header', value: 'Bearer wrong-token' }, 403],
  [{ kind: 'header', value: `${CONFORMANCE_TOKEN}x` }, 403],
  [{ kind: 'query', token: 'wrong-token' }, 403],
];
const acceptances: AuthInput[] = [
  { kind: 'header', value: `Bearer ${CONFORMANCE_TOKEN}` },
  { kind: 'header', value: `Token ${CONFORMANCE_TOKEN}` },
  { kind: 'header', value: CONFORMANCE_TOKEN },
  { kind: 'query', token: CONFORMANCE_TOKEN },
];

/** A client that only connects by posting (http-client) needs something to post. */
const trigger = (t: CaseContext) => {
  if (t.has('postsEvents')) t.backend.emitMessage();
};

/** Auth (protocol.md section 4): servers check the bot's token, clients send theirs; no token in logs. */
export const authCases: ConformanceCase[] = [
  {
    group: 'auth (server)',
    name: 'accepts anything when no token is configured',
    needs: ['serverAuth'],
    async run(t) {
      const h = await t.start({ token: '' });
      for (const auth of junk) {
        if (t.has('servesActions'))
          expect(await h.answer({ action: 'get_login_info' }, auth), JSON.stringify(auth)).toMatchObject({
            retcode: 0,
          });
        if (t.has('receivesEvents')) {
          const stream = await h.openEvents(auth);
          expect(isRejected(stream), JSON.stringify(auth)).toBe(false);
          await (stream as EventStream).close();
        }
      }
    },
  },
  {
    group: 'auth (server)',
    name: 'rejects a missing token with 401 and a wrong one with 403, and never runs the action',
    needs: ['serverAuth', 'servesActions'],
    async run(t) {
      const h = await t.start({ token: CONFORMANCE_TOKEN });
      for (const [auth, status] of refusals) {
        const outcome = await h.call(
          { action: 'send_private_msg', params: { user_id: 1, message: 'x' } },
          auth,
        );
        expect(outcome, JSON.stringify(auth)).toMatchObject({ rejected: true, status });
      }
      expect(t.backend.calls).toHaveLength(0);
    },
  },
  {
    group: 'auth (server)',
    name: 'accepts the right token by header (any scheme or bare) and by access_token',
    needs: ['serverAuth', 'servesActions'],
    async run(t) {
      const h = await t.start({ token: CONFORMANCE_TOKEN });
      for (const auth of acceptances) {
        expect(
          await h.answer({ action: 'get_login_info', echo: 1 }, auth),
          JSON.stringify(auth),
        ).toMatchObject({ retcode: 0, echo: 1 });
      }
    },
  },
  {
    group: 'auth (server)',
    name: 'refuses event streams without the right token and opens them with it',
    needs: ['serverAuth', 'receivesEvents'],
    async run(t) {
      const h = await t.start({ token: CONFORMANCE_TOKEN });
      for (const [auth, status] of refusals) {
        expect(await h.openEvents(auth), JSON.stringify(auth)).toMatchObject({
          rejected: true,
          status,
        });
      }
      for (const auth of acceptances) {
        const stream = await h.events({ auth });
        t.backend.emitMessage({ message_id: 801 });
        expect(await t.nextNonHeartbeat(stream)).toMatchObject({ message_id: 801 });
        await stream.close();
      }
    },
  },
  {
    group: 'auth (server)',
    name: 'never writes the token to a log line',
    needs: ['serverAuth'],
    async run(t) {
      const h = await t.start({ token: CONFORMANCE_TOKEN });
      if (t.has('servesActions')) {
        await h.call({ action: 'get_login_info' }, { kind: 'query', token: CONFORMANCE_TOKEN });
        await h.call({ action: 'get_login_info' }, { kind: 'header', value: `Bearer ${CONFORMANCE_TOKEN}` });
      }
      if (t.has('receivesEvents')) await h.events({ auth: { kind: 'query', token: CONFORMANCE_TOKEN } });
      await t.target.stop();
      expect(t.backend.logger.text()).not.toContain(CONFORMANCE_TOKEN);
    },
  },
  {
    group: 'auth (client)',
    name: 'sends no Authorization header when no token is configured',
    needs: ['clientAuth'],
    async run(t) {
      const h = await t.start({ token: '' });
      trigger(t);
      const headers = await h.clientHeaders();
      expect(headers.authorization).toBeUndefined();
      if (t.has('signs')) expect(headers['x-signature']).toBeUndefined();
    },
  },
  {
    group: 'auth (client)',
    name: 'sends Authorization: Bearer <token> when a token is configured',
    needs: ['clientAuth'],
    async run(t) {
      const h = await t.start({ token: CONFORMANCE_TOKEN });
      trigger(t);
      const headers = await h.clientHeaders();
      expect(headers.authorization).toBe(`Bearer ${CONFORMANCE_TOKEN}`);
      expect(checkToken(CONFORMANCE_TOKEN, extractToken({ authorization: headers.authorization }))).toBe(
        'ok',
      );
      expect(String(headers['x-self-id'])).toBe(String(FAKE_SELF_ID));
    },
  },
  {
    group: 'auth (client)',
    name: 'signs every body with X-Signature over the exact bytes sent',
    needs: ['clientAuth', 'signs'],
    async run(t) {
      const h = await t.start({ token: CONFORMANCE_TOKEN });
      t.backend.emitMessage();
      for (let i = 0; i < 2; i++) {
        const post = await h.nextPost('event POST');
        expect(verifySignature(CONFORMANCE_TOKEN, post.body, post.headers['x-signature'])).toBe(true);
      }
    },
  },
  {
    group: 'auth (client)',
    name: 'never writes the token to a log line',
    needs: ['clientAuth'],
    async run(t) {
      const h = await t.start({ token: CONFORMANCE_TOKEN });
      trigger(t);
      await h.clientHeaders();
      await t.target.stop();
      expect(t.backend.logger.text()).not.toContain(CONFORMANCE_TOKEN);
    },
  },
];
