import { MAX_REQUEST_DEPTH, isNestedDeeperThan } from '@onebot-gateway/core';
import type WebSocket from 'ws';

/** Why a frame from the upstream was dropped. */
export type FrameProblem = 'not JSON' | 'nested too deep' | 'too large' | 'could not be handled';

export type ReadFrame =
  { ok: true; frame: unknown } | { ok: false; problem: FrameProblem; detail: string; frame?: unknown };

function frameText(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function byteLength(data: WebSocket.RawData): number {
  return Array.isArray(data) ? data.reduce((sum, chunk) => sum + chunk.length, 0) : data.byteLength;
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
 * Parse one upstream frame and hold it to the rule every client request is
 * held to: at most MAX_REQUEST_DEPTH (128) levels of objects and arrays,
 * checked with core's iterative `isNestedDeeperThan`. A deeper frame would
 * overflow the stack later, wherever it is serialised or encoded (a
 * heartbeat timer, the CQ encoder), so it never gets past this point.
 */
export function readUpstreamFrame(data: WebSocket.RawData): ReadFrame {
  const bytes = byteLength(data);
  let frame: unknown;
  try {
    frame = JSON.parse(frameText(data));
  } catch (error) {
    return error instanceof RangeError
      ? { ok: false, problem: 'nested too deep', detail: `a frame too deep to parse (${bytes} bytes)` }
      : { ok: false, problem: 'not JSON', detail: `a frame that is not JSON (${bytes} bytes)` };
  }
  if (isNestedDeeperThan(frame, MAX_REQUEST_DEPTH)) {
    return {
      ok: false,
      problem: 'nested too deep',
      detail: `${describeFrame(frame)} nested deeper than ${MAX_REQUEST_DEPTH} levels (${bytes} bytes)`,
      frame,
    };
  }
  return { ok: true, frame };
}
