import { MAX_REQUEST_DEPTH, isJsonTextNestedDeeperThan } from '@onebot-gateway/core/internal';
import type WebSocket from 'ws';

/** Why a frame from the upstream was dropped. */
export type FrameProblem = 'not JSON' | 'nested too deep' | 'too large' | 'could not be handled';

export type ReadFrame = { ok: true; frame: unknown } | { ok: false; problem: FrameProblem; detail: string };

function frameBytes(data: WebSocket.RawData): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return data;
}

/** Names of event kinds are short identifiers; anything else from the peer is not worth a log line. */
const KIND_NAME = /^[a-z_]{1,32}$/;

/**
 * What a frame is, for a log line: its kind only (`a meta_event.heartbeat
 * event`, `an action answer`), never its content, which may be huge,
 * hostile, or carry someone's data.
 */
export function describeFrame(frame: unknown): string {
  if (typeof frame !== 'object' || frame === null) return 'a JSON value that is not an object';
  if (Array.isArray(frame)) return 'a JSON array';
  const record = frame as Record<string, unknown>;
  const kind = [
    record.post_type,
    record.message_type ?? record.notice_type ?? record.request_type ?? record.meta_event_type,
  ].filter((part): part is string => typeof part === 'string' && KIND_NAME.test(part));
  if (kind.length > 0) return `a ${kind.join('.')} event`;
  if (Object.hasOwn(record, 'echo')) return 'an action answer';
  return 'an object';
}

/**
 * Check and parse one upstream frame, holding it to the rule every client
 * request is held to: at most MAX_REQUEST_DEPTH (128) levels of objects and
 * arrays. The depth is checked on the bytes, before parsing, with core's
 * `isJsonTextNestedDeeperThan` (which agrees with the router's
 * `isNestedDeeperThan`): `JSON.parse` itself is what a deep frame attacks
 * (50 MB of `[` costs it ~26 s and 1.5 GB), and walking a parsed 10 MB
 * member list costs far more than one pass over its text. A deeper frame
 * would also overflow the stack wherever it is serialised or encoded later
 * (a heartbeat timer, the CQ encoder), so it never gets past this point.
 */
export function readUpstreamFrame(data: WebSocket.RawData): ReadFrame {
  const bytes = frameBytes(data);
  if (isJsonTextNestedDeeperThan(bytes, MAX_REQUEST_DEPTH)) {
    return {
      ok: false,
      problem: 'nested too deep',
      detail: `a frame nested deeper than ${MAX_REQUEST_DEPTH} levels (${bytes.length} bytes)`,
    };
  }
  try {
    return { ok: true, frame: JSON.parse(bytes.toString('utf8')) };
  } catch {
    return { ok: false, problem: 'not JSON', detail: `a frame that is not JSON (${bytes.length} bytes)` };
  }
}
