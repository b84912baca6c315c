import { describe, expect, it } from 'vitest';
import {
  OneBotError,
  actionFailed,
  errorRegistry,
  httpStatusForRetcode,
  isOneBotError,
  type ErrorCode,
} from './errors.js';

describe('error registry', () => {
  it('maps every retcode of protocol.md section 3 to its HTTP status', () => {
    expect([0, 1, 100, 1400, 1401, 1403, 1404, 1429, 1500].map(httpStatusForRetcode)).toEqual([
      200, 200, 200, 400, 401, 403, 404, 429, 500,
    ]);
    expect(httpStatusForRetcode(1999)).toBe(500);
    expect(httpStatusForRetcode(42)).toBe(200);
  });

  it('gives each code a status consistent with its retcode (413 is the one size-limit exception)', () => {
    for (const [code, entry] of Object.entries(errorRegistry) as Array<
      [ErrorCode, { retcode: number; httpStatus: number }]
    >) {
      const expected = code === 'PAYLOAD_TOO_LARGE' ? 413 : httpStatusForRetcode(entry.retcode);
      expect(entry.httpStatus, code).toBe(expected);
    }
  });

  it('builds errors that carry code, retcode, status, cause and details', () => {
    const cause = new Error('ECONNREFUSED');
    const error = new OneBotError('BACKEND_UNAVAILABLE', 'the upstream at ws://x is down; check it runs', {
      cause,
      details: { url: 'ws://x' },
    });
    expect(error).toBeInstanceOf(Error);
    expect(isOneBotError(error)).toBe(true);
    expect(error).toMatchObject({
      name: 'OneBotError',
      code: 'BACKEND_UNAVAILABLE',
      retcode: 100,
      httpStatus: 200,
    });
    expect(error.cause).toBe(cause);
    expect(error.details).toEqual({ url: 'ws://x' });
    expect(error.stack).toContain('errors.test.ts');
    expect(actionFailed('not in the group')).toMatchObject({
      code: 'ACTION_FAILED',
      retcode: 100,
      message: 'not in the group',
    });
    expect(isOneBotError(new Error('x'))).toBe(false);
    expect(Object.hasOwn(new OneBotError('INTERNAL', 'x'), 'cause')).toBe(false);
  });
});
