import type { ActionRequest } from '@onebot-gateway/core';
import type { ParsedBody } from './body-parsers.js';
import { HttpRefusal } from './onebot-reply.js';

/** Auth travels in the query but is not an action parameter. */
const AUTH_QUERY_KEY = 'access_token';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withoutAuth(query: Record<string, unknown>): Record<string, unknown> {
  if (!Object.hasOwn(query, AUTH_QUERY_KEY)) return { ...query };
  const { [AUTH_QUERY_KEY]: _token, ...rest } = query;
  return rest;
}

/**
 * `GET|POST /:action`: parameters come from the query string, then the body
 * (body keys win). Values stay as sent: the router coerces them by schema.
 */
export function actionFromPath(
  action: string,
  query: Record<string, unknown>,
  body: ParsedBody | undefined,
): ActionRequest {
  const params = withoutAuth(query);
  if (body?.kind === 'form') return { action, params: { ...params, ...withoutAuth(body.fields) } };
  if (body?.kind === 'json') {
    if (!isPlainObject(body.value)) {
      throw new HttpRefusal(
        'BAD_REQUEST',
        `the body of /${action} must be a JSON object of parameters, like {"user_id": 123}`,
      );
    }
    return { action, params: { ...params, ...body.value } };
  }
  return { action, params };
}

/**
 * `POST /`: the body is the whole request `{action, params, echo}`, exactly
 * as over WebSocket, so the router applies the same echo rules. A form body
 * carries `action` and `echo` fields; every other field is a parameter.
 */
export function actionFromRootBody(body: ParsedBody | undefined): unknown {
  if (body === undefined) {
    throw new HttpRefusal(
      'BAD_REQUEST',
      'POST / needs a JSON body like {"action": "send_msg", "params": {...}, "echo": 1}',
    );
  }
  if (body.kind === 'json') return body.value;
  const { action, echo, ...params } = withoutAuth(body.fields);
  return { action, params, ...(echo === undefined ? {} : { echo }) };
}
