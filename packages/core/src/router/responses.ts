import { errorRegistry, type ErrorCode } from '../errors.js';
import type { ActionResponse } from '../types/actions.js';

/** Build a response; `echo` is attached only when the request carried the key. */
export function okResponse(data: unknown): ActionResponse {
  return { status: 'ok', retcode: 0, data: data === undefined ? null : data, message: '', wording: '' };
}

export function asyncResponse(): ActionResponse {
  return { status: 'async', retcode: 1, data: null, message: '', wording: '' };
}

/**
 * A failed response. Give the error registry's code (`'BAD_REQUEST'`) for a
 * failure of our own, so the retcode comes from the one registry; a number
 * is for a retcode that came from elsewhere (an upstream's answer).
 */
export function failedResponse(retcode: number | ErrorCode, message: string): ActionResponse {
  const code = typeof retcode === 'number' ? retcode : errorRegistry[retcode].retcode;
  return { status: 'failed', retcode: code, data: null, message, wording: message };
}

export function withEcho(response: ActionResponse, echo: { has: boolean; value?: unknown }): ActionResponse {
  if (!echo.has) return response;
  return { ...response, echo: echo.value };
}
