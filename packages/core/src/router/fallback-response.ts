import { isPlainObject } from '../config/fields.js';
import type { ActionResponse } from '../types/actions.js';

const RESPONSE_STATUSES = new Set(['ok', 'async', 'failed']);

/**
 * A fallback (a relay) answers with whatever the upstream sent. Make sure
 * what leaves the router is still a well-formed response; throws when it is
 * not one at all.
 */
export function sanitiseFallbackResponse(action: string, response: unknown): ActionResponse {
  if (
    !isPlainObject(response) ||
    typeof response.retcode !== 'number' ||
    !Number.isFinite(response.retcode)
  ) {
    throw new Error(
      `the fallback handler answered "${action}" with something that is not an action response`,
    );
  }
  const { retcode } = response;
  const status = RESPONSE_STATUSES.has(response.status as string)
    ? (response.status as ActionResponse['status'])
    : retcode === 0
      ? 'ok'
      : retcode === 1
        ? 'async'
        : 'failed';
  const message = typeof response.message === 'string' ? response.message : '';
  return {
    status,
    retcode,
    data: response.data === undefined ? null : response.data,
    message,
    wording: typeof response.wording === 'string' ? response.wording : message,
  };
}
