import { checkToken, extractToken, verifySignature } from '@onebot-gateway/core';
import { httpStatusForRetcode } from '@onebot-gateway/core/internal';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeBackend, FAKE_SELF_ID, type FakeBackend } from '../fake-backend.js';
import {
  startHttpReceiver,
  startWsReceiver,
  type HttpReceiver,
  type ReceivedConnection,
  type WsReceiver,
} from './receivers.js';
import type {
  AuthInput,
  CallOutcome,
  ConformanceOptions,
  ConformanceSettings,
  ConformanceTarget,
  EventStream,
  Rejected,
} from './types.js';

export const CONFORMANCE_TOKEN = 'conformance-token-7f3a';

const defaultSettings: ConformanceSettings = {
  token: '',
  messagePostFormat: 'array',
  reportSelfMessage: false,
  heartInterval: 0,
};

type Frame = Record<string, unknown>;

interface Harness {
  settings: ConformanceSettings;
  /** Send a request (object -> JSON, string -> sent as is) with the right auth unless told otherwise. */
  call(request: unknown, auth?: AuthInput): Promise<CallOutcome>;
  /** An answered call; fails the test when it was rejected. */
  answer(request: unknown, auth?: AuthInput): Promise<Frame>;
  /** Open an event stream (right auth unless told otherwise); lifecycle already consumed when `skipLifecycle`. */
  events(options?: { auth?: AuthInput; skipLifecycle?: boolean }): Promise<EventStream>;
  openEvents(auth: AuthInput): Promise<EventStream | Rejected>;
  /** Client kinds: headers of the adapter's first connection/post. */
  clientHeaders(): Promise<Record<string, string | string[] | undefined>>;
}

function isRejected(value: unknown): value is Rejected {
  return typeof value === 'object' && value !== null && (value as Rejected).rejected === true;
}

const nestedDeeply = (depth: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = [value];
  return value;
};

/**
 * The shared adapter conformance suite (protocol.md sections 2-4). Call it at
 * the top level of a test file in the adapter's package; it registers its
 * own describe/it blocks. See the testkit README for a worked example.
 */
export function runAdapterConformance(options: ConformanceOptions): void {
  const { capabilities: caps, kind } = options;
  const timeoutMs = options.timeoutMs ?? 3000;
  const isServer = kind === 'server';

  describe(`${options.name} conformance`, () => {
    let backend: FakeBackend;
    let target: ConformanceTarget | undefined;
    let wsReceiver: WsReceiver | undefined;
    let httpReceiver: HttpReceiver | undefined;
    let connection: Promise<ReceivedConnection> | undefined;
    const streams: EventStream[] = [];

    beforeEach(() => {
      backend = createFakeBackend();
    });

    afterEach(async () => {
      await Promise.allSettled(streams.splice(0).map((s) => s.close()));
      await target?.stop();
      target = undefined;
      await wsReceiver?.close();
      await httpReceiver?.close();
      wsReceiver = undefined;
      httpReceiver = undefined;
      connection = undefined;
      backend.dispose();
    });

    async function start(overrides: Partial<ConformanceSettings> = {}): Promise<Harness> {
      const settings = { ...defaultSettings, ...overrides };
      let receiverUrl: string | undefined;
      if (kind === 'ws-client') {
        wsReceiver = await startWsReceiver();
        receiverUrl = wsReceiver.url;
      } else if (kind === 'http-client') {
        httpReceiver = await startHttpReceiver();
        receiverUrl = httpReceiver.url;
      }
      target = await options.createTarget({
        backend,
        context: backend.context(options.name),
        settings,
        receiverUrl,
      });
      const rightAuth: AuthInput =
        settings.token === '' ? { kind: 'none' } : { kind: 'header', value: `Bearer ${settings.token}` };
      const receivedConnection = (): Promise<ReceivedConnection> =>
        (connection ??= wsReceiver!.connections.next(timeoutMs, 'connection from the ws-client adapter'));

      const call = async (request: unknown, auth: AuthInput = rightAuth): Promise<CallOutcome> => {
        const body = typeof request === 'string' ? request : JSON.stringify(request);
        if (kind === 'ws-client') {
          const conn = await receivedConnection();
          conn.ws.send(body);
          return {
            rejected: false,
            response: await conn.answers.next(timeoutMs, 'answer from the ws-client adapter'),
          };
        }
        if (!target?.callAction)
          throw new Error(`${options.name}: the target has no callAction but capabilities.actions is true`);
        return target.callAction(body, auth);
      };

      const openEvents = async (auth: AuthInput): Promise<EventStream | Rejected> => {
        if (kind === 'ws-client') {
          const conn = await receivedConnection();
          return { next: (ms = timeoutMs) => conn.events.next(ms, 'event'), close: async () => {} };
        }
        if (kind === 'http-client') {
          const posts = httpReceiver!.posts;
          return {
            next: async (ms = timeoutMs) => (await posts.next(ms, 'event POST')).event,
            close: async () => {},
          };
        }
        if (!target?.openEvents)
          throw new Error(`${options.name}: the target has no openEvents but capabilities.events is true`);
        const stream = await target.openEvents(auth);
        if (!isRejected(stream)) streams.push(stream);
        return stream;
      };

      return {
        settings,
        call,
        async answer(request, auth) {
          const outcome = await call(request, auth);
          if (outcome.rejected)
            throw new Error(`expected an answer, the request was rejected with HTTP ${outcome.status}`);
          if (outcome.httpStatus !== undefined) {
            expect(outcome.httpStatus, 'HTTP status matches the retcode').toBe(
              httpStatusForRetcode(outcome.response.retcode as number),
            );
          }
          return outcome.response;
        },
        async events({ auth = rightAuth, skipLifecycle = true } = {}) {
          const stream = await openEvents(auth);
          if (isRejected(stream))
            throw new Error(`expected an event stream, it was rejected with HTTP ${stream.status}`);
          if (skipLifecycle && caps.lifecycle) {
            const first = await stream.next(timeoutMs);
            expect(first).toMatchObject({
              post_type: 'meta_event',
              meta_event_type: 'lifecycle',
              sub_type: caps.lifecycle,
            });
          }
          return stream;
        },
        openEvents,
        async clientHeaders() {
          if (kind === 'ws-client') return (await receivedConnection()).headers;
          if (kind === 'http-client')
            return (await httpReceiver!.posts.next(timeoutMs, 'event POST')).headers;
          throw new Error('clientHeaders is for client kinds');
        },
      };
    }

    /** Next event that is not a heartbeat (heartbeats may interleave on slow machines). */
    async function nextNonHeartbeat(stream: EventStream): Promise<Frame> {
      for (;;) {
        const event = await stream.next(timeoutMs);
        if (event.meta_event_type !== 'heartbeat') return event;
      }
    }

    if (caps.actions) {
      describe('actions', () => {
        it('answers a standard action with the OneBot response shape', async () => {
          const h = await start();
          const response = await h.answer({ action: 'get_login_info' });
          expect(response).toEqual({
            status: 'ok',
            retcode: 0,
            data: { user_id: FAKE_SELF_ID, nickname: 'FakeBot' },
            message: '',
            wording: '',
          });
        });

        it('copies echo back exactly, falsy values included, and omits it when absent', async () => {
          const h = await start();
          const echoes: unknown[] = [0, '', false, null, 'abc', 42, { a: [1, { b: 2 }] }, [1, 'x']];
          for (const echo of echoes) {
            const response = await h.answer({ action: 'get_login_info', echo });
            expect(response, `echo ${JSON.stringify(echo)}`).toHaveProperty('echo');
            expect(response.echo).toEqual(echo);
          }
          const without = await h.answer({ action: 'get_login_info' });
          expect(without).not.toHaveProperty('echo');
        });

        it('maps failures to retcodes: unknown 1404, failed 100, thrown 1500, echo kept', async () => {
          const h = await start();
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
        });

        it('answers <action>_async at once with status async, retcode 1, and runs it in the background', async () => {
          const h = await start();
          const response = await h.answer({
            action: 'send_private_msg_async',
            params: { user_id: 5, message: 'bg' },
            echo: 'async',
          });
          expect(response).toMatchObject({ status: 'async', retcode: 1, data: null, echo: 'async' });
          expect(await backend.callOf('send_private_msg', timeoutMs)).toMatchObject({
            params: { user_id: 5 },
          });
        });

        it('coerces parameters by the action schema', async () => {
          const h = await start();
          const response = await h.answer({
            action: 'send_private_msg',
            params: { user_id: '123', message: 'hi', extra_key: 1 },
          });
          expect(response).toMatchObject({ status: 'ok', retcode: 0 });
          expect(backend.calls.at(-1)).toMatchObject({
            action: 'send_private_msg',
            params: { user_id: 123 },
          });
        });

        it('answers bad input with 1400 instead of failing or crashing', async () => {
          const h = await start();
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
          expect(backend.calls.filter((c) => c.action === 'send_private_msg')).toHaveLength(0);
        });
      });
    }

    if (caps.events) {
      describe('events', () => {
        if (caps.lifecycle) {
          it(`starts every stream with lifecycle ${caps.lifecycle}`, async () => {
            const h = await start();
            const stream = await h.events({ skipLifecycle: false });
            const first = await stream.next(timeoutMs);
            expect(first).toMatchObject({
              post_type: 'meta_event',
              meta_event_type: 'lifecycle',
              sub_type: caps.lifecycle,
              self_id: FAKE_SELF_ID,
            });
            expect(typeof first.time).toBe('number');
          });
        }

        it('delivers message events in array format with the required fields, in order', async () => {
          const h = await start({ messagePostFormat: 'array' });
          const stream = await h.events();
          backend.emitMessage({ message_id: 501 });
          backend.emitMessage({ message_type: 'group', message_id: 502 });
          const first = await nextNonHeartbeat(stream);
          expect(first).toMatchObject({
            post_type: 'message',
            message_type: 'private',
            message_id: 501,
            self_id: FAKE_SELF_ID,
            message: [{ type: 'text', data: { text: 'hello' } }],
            message_format: 'array',
            raw_message: 'hello',
            font: 0,
            sender: { user_id: 20002, nickname: 'Alice' },
          });
          expect(typeof first.time).toBe('number');
          expect(await nextNonHeartbeat(stream)).toMatchObject({
            message_type: 'group',
            message_id: 502,
            group_id: 30003,
          });
        });

        it('delivers message events in string format as CQ strings', async () => {
          const h = await start({ messagePostFormat: 'string' });
          const stream = await h.events();
          backend.emitMessage({
            message: [
              { type: 'text', data: { text: 'a[b]' } },
              { type: 'face', data: { id: '1' } },
            ],
          });
          expect(await nextNonHeartbeat(stream)).toMatchObject({
            post_type: 'message',
            message: 'a&#91;b&#93;[CQ:face,id=1]',
            message_format: 'string',
          });
        });

        it('delivers only the events its filter matches (group whitelist and "@ the bot"), whatever its format', async () => {
          const atBot = [
            { type: 'at', data: { qq: String(FAKE_SELF_ID) } },
            { type: 'text', data: { text: ' hi' } },
          ];
          // The stream's lifecycle event is consumed first: meta events pass a filter that does not name post_type.
          const h = await start({
            messagePostFormat: 'string',
            filter: {
              group_id: { $in: [30003, 30010] },
              message: { $elemMatch: { type: 'at', 'data.qq': String(FAKE_SELF_ID) } },
            },
          });
          const stream = await h.events();
          backend.emitMessage({ message_id: 701, message: atBot }); // private: no group_id
          backend.emitMessage({ message_type: 'group', message_id: 702 }); // listed group, no @
          backend.emitMessage({ message_type: 'group', group_id: 30004, message_id: 703, message: atBot });
          // A backend that writes the id as a number is matched by the quoted id too.
          backend.emitMessage({
            message_type: 'group',
            group_id: 30003,
            message_id: 704,
            message: [{ type: 'at', data: { qq: FAKE_SELF_ID } }],
          });
          backend.emitMessage({ message_type: 'group', group_id: 30010, message_id: 705, message: atBot });
          expect(await nextNonHeartbeat(stream)).toMatchObject({
            message_id: 704,
            message: `[CQ:at,qq=${FAKE_SELF_ID}]`,
            message_format: 'string',
          });
          expect(await nextNonHeartbeat(stream)).toMatchObject({ message_id: 705, group_id: 30010 });
        });

        if (caps.heartbeat) {
          it('holds back heartbeats when its filter names post_type and does not match them', async () => {
            const h = await start({
              heartInterval: 20,
              filter: { $or: [{ post_type: 'message' }, { meta_event_type: 'lifecycle' }] },
            });
            const stream = await h.events();
            // Absence can only be shown by waiting: several heartbeat intervals pass with nothing sent.
            await new Promise((resolve) => setTimeout(resolve, 150));
            backend.emitMessage({ message_id: 711 });
            expect(await stream.next(timeoutMs)).toMatchObject({ post_type: 'message', message_id: 711 });
          });
        }

        it('does not report the bot’s own messages unless reportSelfMessage is on', async () => {
          const h = await start({ reportSelfMessage: false });
          const stream = await h.events();
          backend.emitSelfMessage({ message_id: 601 });
          backend.emitMessage({ message_id: 602 });
          expect(await nextNonHeartbeat(stream)).toMatchObject({ post_type: 'message', message_id: 602 });
        });

        it('reports the bot’s own messages as message_sent when reportSelfMessage is on', async () => {
          const h = await start({ reportSelfMessage: true });
          const stream = await h.events();
          backend.emitSelfMessage({ message_id: 701 });
          expect(await nextNonHeartbeat(stream)).toMatchObject({
            post_type: 'message_sent',
            message_id: 701,
            self_id: FAKE_SELF_ID,
          });
        });

        if (caps.heartbeat) {
          it('sends heartbeat meta events with exact types every heartInterval', async () => {
            const h = await start({ heartInterval: 150 });
            const stream = await h.events();
            const startedAt = Date.now();
            let beat: Frame | undefined;
            for (let i = 0; i < 5 && !beat; i++) {
              const event = await stream.next(timeoutMs);
              if (event.meta_event_type === 'heartbeat') beat = event;
            }
            expect(beat).toBeDefined();
            expect(Date.now() - startedAt).toBeGreaterThanOrEqual(100);
            expect(beat).toMatchObject({ post_type: 'meta_event', self_id: FAKE_SELF_ID, interval: 150 });
            expect(typeof beat!.interval).toBe('number');
            expect(typeof beat!.time).toBe('number');
            const status = beat!.status as Record<string, unknown>;
            expect(typeof status.online).toBe('boolean');
            expect(typeof status.good).toBe('boolean');
          });

          it('keeps sending heartbeats, marked offline, while the backend cannot report its status', async () => {
            const h = await start({ heartInterval: 100 });
            const stream = await h.events();
            backend.statusError = new Error('status store is gone');
            let beat: Frame | undefined;
            for (let i = 0; i < 5 && !beat; i++) {
              const event = await stream.next(timeoutMs);
              if (
                event.meta_event_type === 'heartbeat' &&
                (event.status as { online?: unknown }).online === false
              )
                beat = event;
            }
            expect(beat).toMatchObject({ self_id: FAKE_SELF_ID, status: { online: false, good: false } });
            backend.statusError = undefined;
            backend.emitMessage({ message_id: 702 });
            expect(await nextNonHeartbeat(stream)).toMatchObject({ post_type: 'message', message_id: 702 });
          });
        }
      });
    }

    if (caps.auth === 'server' && isServer) {
      describe('auth (server)', () => {
        const junk: AuthInput[] = [
          { kind: 'none' },
          { kind: 'header', value: 'Token undefined' },
          { kind: 'header', value: 'Bearer junk' },
          { kind: 'query', token: '' },
          { kind: 'query', token: 'junk' },
        ];

        it('accepts anything when no token is configured', async () => {
          const h = await start({ token: '' });
          for (const auth of junk) {
            if (caps.actions)
              expect(await h.answer({ action: 'get_login_info' }, auth), JSON.stringify(auth)).toMatchObject({
                retcode: 0,
              });
            if (caps.events) {
              const stream = await h.openEvents(auth);
              expect(isRejected(stream), JSON.stringify(auth)).toBe(false);
              await (stream as EventStream).close();
            }
          }
        });

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

        if (caps.actions) {
          it('rejects a missing token with 401 and a wrong one with 403, and never runs the action', async () => {
            const h = await start({ token: CONFORMANCE_TOKEN });
            for (const [auth, status] of refusals) {
              const outcome = await h.call(
                { action: 'send_private_msg', params: { user_id: 1, message: 'x' } },
                auth,
              );
              expect(outcome, JSON.stringify(auth)).toMatchObject({ rejected: true, status });
            }
            expect(backend.calls).toHaveLength(0);
          });

          it('accepts the right token by header (any scheme or bare) and by access_token', async () => {
            const h = await start({ token: CONFORMANCE_TOKEN });
            for (const auth of acceptances) {
              expect(
                await h.answer({ action: 'get_login_info', echo: 1 }, auth),
                JSON.stringify(auth),
              ).toMatchObject({ retcode: 0, echo: 1 });
            }
          });
        }

        if (caps.events) {
          it('refuses event streams without the right token and opens them with it', async () => {
            const h = await start({ token: CONFORMANCE_TOKEN });
            for (const [auth, status] of refusals) {
              expect(await h.openEvents(auth), JSON.stringify(auth)).toMatchObject({
                rejected: true,
                status,
              });
            }
            for (const auth of acceptances) {
              const stream = await h.events({ auth });
              backend.emitMessage({ message_id: 801 });
              expect(await nextNonHeartbeat(stream)).toMatchObject({ message_id: 801 });
              await stream.close();
            }
          });
        }

        it('never writes the token to a log line', async () => {
          const h = await start({ token: CONFORMANCE_TOKEN });
          if (caps.actions) {
            await h.call({ action: 'get_login_info' }, { kind: 'query', token: CONFORMANCE_TOKEN });
            await h.call(
              { action: 'get_login_info' },
              { kind: 'header', value: `Bearer ${CONFORMANCE_TOKEN}` },
            );
          }
          if (caps.events) await h.events({ auth: { kind: 'query', token: CONFORMANCE_TOKEN } });
          await target?.stop();
          expect(backend.logger.text()).not.toContain(CONFORMANCE_TOKEN);
        });
      });
    }

    if (caps.auth === 'client' && (kind === 'ws-client' || kind === 'http-client')) {
      describe('auth (client)', () => {
        const trigger = () => {
          // http-client only connects by posting: give it something to post.
          if (kind === 'http-client') backend.emitMessage();
        };

        it('sends no Authorization header when no token is configured', async () => {
          const h = await start({ token: '' });
          trigger();
          const headers = await h.clientHeaders();
          expect(headers.authorization).toBeUndefined();
          if (caps.signature) expect(headers['x-signature']).toBeUndefined();
        });

        it('sends Authorization: Bearer <token> when a token is configured', async () => {
          const h = await start({ token: CONFORMANCE_TOKEN });
          trigger();
          const headers = await h.clientHeaders();
          expect(headers.authorization).toBe(`Bearer ${CONFORMANCE_TOKEN}`);
          expect(checkToken(CONFORMANCE_TOKEN, extractToken({ authorization: headers.authorization }))).toBe(
            'ok',
          );
          expect(String(headers['x-self-id'])).toBe(String(FAKE_SELF_ID));
        });

        if (caps.signature) {
          it('signs every body with X-Signature over the exact bytes sent', async () => {
            await start({ token: CONFORMANCE_TOKEN });
            backend.emitMessage();
            for (let i = 0; i < 2; i++) {
              const post = await httpReceiver!.posts.next(timeoutMs, 'event POST');
              expect(verifySignature(CONFORMANCE_TOKEN, post.body, post.headers['x-signature'])).toBe(true);
            }
          });
        }

        it('never writes the token to a log line', async () => {
          const h = await start({ token: CONFORMANCE_TOKEN });
          trigger();
          await h.clientHeaders();
          await target?.stop();
          expect(backend.logger.text()).not.toContain(CONFORMANCE_TOKEN);
        });
      });
    }

    describe('lifecycle', () => {
      it('stop() is idempotent: a second and a concurrent call resolve too', async () => {
        await start();
        await Promise.all([target!.stop(), target!.stop()]);
        await target!.stop();
      });

      if (isServer) {
        it('stop() leaves nothing listening: a call after it cannot connect', async () => {
          const h = await start();
          expect(await h.answer({ action: 'get_login_info' })).toMatchObject({ retcode: 0 });
          await target!.stop();
          await expect(h.call({ action: 'get_login_info' })).rejects.toThrow();
        });

        if (caps.events) {
          it('stop() ends open event streams', async () => {
            const h = await start();
            const stream = await h.events();
            await target!.stop();
            await expect(stream.next(timeoutMs)).rejects.toThrow(/closed|ended|no more/i);
          });
        }
      }

      if (kind === 'ws-client') {
        it('stop() closes the connection with 1001 (going away)', async () => {
          const h = await start();
          await h.clientHeaders(); // waits for the adapter's connection
          const received = await connection!;
          await target!.stop();
          expect(await received.closed).toBe(1001);
        });
      }

      if (kind === 'http-client' && caps.lifecycle === 'enable') {
        it('posts lifecycle disable when it stops, after enable', async () => {
          await start();
          const first = await httpReceiver!.posts.next(timeoutMs, 'lifecycle enable POST');
          expect(first.event).toMatchObject({ meta_event_type: 'lifecycle', sub_type: 'enable' });
          await target!.stop();
          const last = await httpReceiver!.posts.next(timeoutMs, 'lifecycle disable POST');
          expect(last.event).toMatchObject({
            post_type: 'meta_event',
            meta_event_type: 'lifecycle',
            sub_type: 'disable',
            self_id: FAKE_SELF_ID,
          });
        });
      }
    });
  });
}
