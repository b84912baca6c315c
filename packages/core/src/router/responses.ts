import type { ActionResponse } from '../types/actions.js';

/** Build a response; `echo` is attached only when the request carried the key. */
export function okResponse(data: unknown): ActionResponse {
  return { status: 'ok', retcode: 0, data: data === undefined ? null : data, message: '', wording: '' };
}

export function asyncResponse(): ActionResponse {
  return { status: 'async', retcode: 1, data: null, message: '', wording: '' };
}

export function failedResponse(retcode: number, message: string): ActionResponse {
  return { status: 'failed', retcode, data: null, message, wording: message };
}

export function withEcho(response: ActionResponse, echo: { has: boolean; value?: unknown }): ActionResponse {
  if (!echo.has) return response;
  return { ...response, echo: echo.value };
}
