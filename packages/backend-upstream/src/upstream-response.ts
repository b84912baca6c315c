import { errorRegistry } from '@onebot-gateway/core';
import type { ActionResponse, ActionStatus } from '@onebot-gateway/core';
import { isPlainObject } from '@onebot-gateway/core/internal';

/** A frame that answers an action: it has an echo and no post_type. */
export function isResponseFrame(frame: unknown): frame is Record<string, unknown> & { echo: unknown } {
  return isPlainObject(frame) && Object.hasOwn(frame, 'echo') && frame.post_type === undefined;
}

/**
 * An upstream answer in the shape our clients expect. go-cqhttp says `msg`
 * instead of `message` and older builds omit `wording`; the client's echo is
 * added back by the router, so the relay's own echo is dropped here.
 */
export function normaliseUpstreamResponse(frame: Record<string, unknown>): ActionResponse {
  const { echo: _relayEcho, msg, ...rest } = frame;
  const retcode = Number.isFinite(Number(rest.retcode))
    ? Number(rest.retcode)
    : errorRegistry.INTERNAL.retcode;
  const status: ActionStatus =
    rest.status === 'ok' || rest.status === 'async' || rest.status === 'failed'
      ? rest.status
      : retcode === 0
        ? 'ok'
        : 'failed';
  const message = typeof rest.message === 'string' ? rest.message : typeof msg === 'string' ? msg : '';
  const wording = typeof rest.wording === 'string' ? rest.wording : message;
  return { ...rest, status, retcode, data: rest.data === undefined ? null : rest.data, message, wording };
}
