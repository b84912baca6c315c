import { isPlainObject } from '../config/fields.js';
import type { ActionResponse } from '../types/actions.js';
import { MAX_REQUEST_PARAMS, hasMoreKeysThan, tooManyParamsMessage } from './param-count.js';
import { MAX_REQUEST_DEPTH, isNestedDeeperThan } from './request-depth.js';
import { failedResponse, withEcho } from './responses.js';

/** The request's `echo`: `has` is false when the key is absent, so the answer carries none either. */
export interface RequestEcho {
  has: boolean;
  value: unknown;
}

/** A request whose outer shape is right: the params are not coerced yet. */
export interface RequestEnvelope {
  action: string;
  rawParams: Record<string, unknown>;
  echo: RequestEcho;
}

function describeJson(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return 'a string';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Check what every request must be before any action runs: an object with a
 * non-empty string `action`, params that are an object, not nested too deep,
 * not too many keys. Returns the envelope, or the 1400 answer (with the echo
 * when it could be kept) that says what is wrong.
 */
export function readRequestEnvelope(request: unknown): RequestEnvelope | ActionResponse {
  if (!isPlainObject(request)) {
    return failedResponse(
      'BAD_REQUEST',
      `request must be a JSON object like {"action": "send_msg", "params": {...}}, got ${describeJson(request)}`,
    );
  }
  // The request object is level 1, so its echo and params may nest 127 more.
  const echoTooDeep = isNestedDeeperThan(request.echo, MAX_REQUEST_DEPTH - 1);
  const echo = { has: Object.hasOwn(request, 'echo') && !echoTooDeep, value: request.echo };
  if (echoTooDeep || isNestedDeeperThan(request.params, MAX_REQUEST_DEPTH - 1)) {
    const where = echoTooDeep ? '"echo"' : '"params"';
    return withEcho(
      failedResponse(
        'BAD_REQUEST',
        `request nests deeper than ${MAX_REQUEST_DEPTH} levels (in ${where}); flatten it`,
      ),
      echo,
    );
  }
  const { action } = request;
  if (typeof action !== 'string' || action === '') {
    const got =
      action === undefined ? 'it is missing' : action === '' ? 'it is empty' : `got ${describeJson(action)}`;
    return withEcho(
      failedResponse('BAD_REQUEST', `field "action" must be a non-empty string (${got})`),
      echo,
    );
  }
  const rawParams = request.params ?? {};
  if (!isPlainObject(rawParams)) {
    return withEcho(
      failedResponse(
        'BAD_REQUEST',
        `field "params" must be an object of named parameters, got ${describeJson(rawParams)}`,
      ),
      echo,
    );
  }
  if (hasMoreKeysThan(rawParams, MAX_REQUEST_PARAMS)) {
    return withEcho(failedResponse('BAD_REQUEST', tooManyParamsMessage()), echo);
  }
  return { action, rawParams, echo };
}

/** True for the envelope, false for the answer `readRequestEnvelope` gave instead. */
export function isRequestEnvelope(value: RequestEnvelope | ActionResponse): value is RequestEnvelope {
  return 'rawParams' in value;
}
