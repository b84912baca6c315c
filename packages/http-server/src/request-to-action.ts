import { type ActionRequest } from '@onebot-gateway/core';
import { hasMoreKeysThan, tooManyParamsMessage, isPlainObject } from '@onebot-gateway/core/internal';
import type { ParsedBody } from './body-parsers.js';
import { HttpRefusal } from './onebot-reply.js';
import { MAX_PARAMETERS, hasTooManyParameters, setOwn, tooManyParametersMessage } from './url-encoded.js';

/** Auth travels in the query but is not an action parameter. */
const AUTH_QUERY_KEY = 'access_token';

/** Names that are not parameters, by where the fields come from. */
const NOT_PARAMS_IN_QUERY_OR_FORM: ReadonlySet<string> = new Set([AUTH_QUERY_KEY]);
// A JSON body keeps `access_token` as a parameter: only the query and forms carry auth.
const NOT_PARAMS_IN_JSON: ReadonlySet<string> = new Set();
const NOT_PARAMS_IN_ROOT_FORM: ReadonlySet<string> = new Set([AUTH_QUERY_KEY, 'action', 'echo']);

/** True when the query carries a parameter (anything but `access_token`). */
function hasParams(query: Record<string, unknown>): boolean {
  for (const key in query) if (key !== AUTH_QUERY_KEY) return true;
  return false;
}

/**
 * Copy `source`'s fields but those in `skip` into `params`. One pass per
 * source into one object built once: copying by spreads cost a full copy per
 * step, seconds for a hostile request.
 */
function copyParams(
  params: Record<string, unknown>,
  source: Record<string, unknown>,
  skip: ReadonlySet<string>,
): void {
  for (const key of Object.keys(source)) {
    if (!skip.has(key)) setOwn(params, key, source[key]);
  }
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
  if (hasTooManyParameters(query))
    throw new HttpRefusal('BAD_REQUEST', tooManyParametersMessage('query string'));
  if (body?.kind === 'json' && !isPlainObject(body.value)) {
    throw new HttpRefusal(
      'BAD_REQUEST',
      `the body of /${action} must be a JSON object of parameters, like {"user_id": 123}`,
    );
  }
  if (body?.kind === 'json') {
    const value = body.value as Record<string, unknown>;
    // The usual call: every parameter in the body. The parsed body is this
    // request's own object, so it is the params as is (the router copies
    // when it coerces, and counts the keys).
    if (!hasParams(query)) return { action, params: value };
    // Checked before copying: the router's own check would come after the copy.
    if (hasMoreKeysThan(value, MAX_PARAMETERS)) throw new HttpRefusal('BAD_REQUEST', tooManyParamsMessage());
  }
  const params: Record<string, unknown> = {};
  copyParams(params, query, NOT_PARAMS_IN_QUERY_OR_FORM);
  if (body?.kind === 'form') copyParams(params, body.fields, NOT_PARAMS_IN_QUERY_OR_FORM);
  else if (body?.kind === 'json')
    copyParams(params, body.value as Record<string, unknown>, NOT_PARAMS_IN_JSON);
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
  const { fields } = body;
  const params: Record<string, unknown> = {};
  copyParams(params, fields, NOT_PARAMS_IN_ROOT_FORM);
  const echo = Object.hasOwn(fields, 'echo') ? fields.echo : undefined;
  return {
    action: Object.hasOwn(fields, 'action') ? fields.action : undefined,
    params,
    ...(echo === undefined ? {} : { echo }),
  };
}
