import { isPlainObject } from '../config/fields.js';
import type { BackendStatus } from '../adapter.js';
import type { Logger } from '../logger.js';
import { MAX_REQUEST_DEPTH, isNestedDeeperThan } from '../router/request-depth.js';
import type { HeartbeatMetaEvent, LifecycleMetaEvent, LifecycleSubType } from '../types/events.js';

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** `meta_event` lifecycle: `connect` opens every event stream; http-client posts enable/disable. */
export function createLifecycleEvent(selfId: number, subType: LifecycleSubType): LifecycleMetaEvent {
  return {
    time: nowSeconds(),
    self_id: selfId,
    post_type: 'meta_event',
    meta_event_type: 'lifecycle',
    sub_type: subType,
  };
}

/**
 * Deepest nesting a heartbeat `status` may have: the event is level 1 and its
 * status level 2, so the whole heartbeat stays within the 128 levels every
 * frame in and out of the gateway is held to.
 */
export const MAX_HEARTBEAT_STATUS_DEPTH = MAX_REQUEST_DEPTH - 1;

/** Told why a heartbeat went out with only `online` and `good`. */
export type HeartbeatProblem = (reason: string, error?: unknown) => void;

function readFlag(status: BackendStatus, key: 'online' | 'good'): boolean {
  try {
    return Boolean(status[key]);
  } catch {
    // A getter that throws: the backend cannot vouch for its health.
    return false;
  }
}

/**
 * The status a heartbeat carries, as plain JSON data: a copy taken through
 * JSON, so serialising the heartbeat later (inside a timer, once per
 * connection) can never throw, and the caller's object is never shared.
 * A status that cannot be copied that way is replaced by `online` and `good`.
 */
function heartbeatStatus(status: BackendStatus, onProblem: HeartbeatProblem | undefined): BackendStatus {
  const flags = { online: readFlag(status, 'online'), good: readFlag(status, 'good') };
  let reason: string;
  let cause: unknown;
  try {
    if (!isNestedDeeperThan(status, MAX_HEARTBEAT_STATUS_DEPTH)) {
      const copy = JSON.parse(JSON.stringify(status)) as unknown;
      if (isPlainObject(copy)) return { ...copy, ...flags };
      reason = 'the backend status is not an object';
    } else {
      reason = `the backend status nests deeper than ${MAX_HEARTBEAT_STATUS_DEPTH} levels`;
    }
  } catch (error) {
    reason = `the backend status cannot be written as JSON (${error instanceof Error ? error.message : 'unknown value'})`;
    cause = error;
  }
  onProblem?.(reason, cause);
  return flags;
}

/**
 * `meta_event` heartbeat with exact types whatever the caller passes:
 * `interval` is a number of ms and `status.online` / `status.good` are
 * booleans, because clients compare them strictly. The status is checked and
 * copied (see `heartbeatStatus`): one that nests too deep or cannot be
 * written as JSON is sent as `{online, good}` only, and `onProblem` says why.
 */
export function createHeartbeatEvent(
  selfId: number,
  interval: number,
  status: BackendStatus,
  onProblem?: HeartbeatProblem,
): HeartbeatMetaEvent {
  const ms = Number(interval);
  return {
    time: nowSeconds(),
    self_id: selfId,
    post_type: 'meta_event',
    meta_event_type: 'heartbeat',
    status: heartbeatStatus(status, onProblem),
    interval: Number.isFinite(ms) ? ms : 0,
  };
}

/**
 * One heartbeat for code that sends heartbeats from a timer: never throws. A
 * backend whose `status()` or `selfId()` throws, or whose status cannot be
 * sent, still yields a sane heartbeat (an unreadable status counts as
 * offline, an unreadable id as 0) and `onProblem` says why.
 */
export function heartbeatFromBackend(
  selfId: () => number,
  interval: number,
  status: () => BackendStatus,
  onProblem: HeartbeatProblem,
): HeartbeatMetaEvent {
  let id = 0;
  try {
    const value = Number(selfId());
    id = Number.isSafeInteger(value) ? value : 0;
  } catch (error) {
    onProblem('the backend could not report its self_id', error);
  }
  let current: BackendStatus;
  try {
    current = status();
  } catch (error) {
    onProblem('the backend could not report its status', error);
    current = { online: false, good: false };
  }
  return createHeartbeatEvent(id, interval, current, onProblem);
}

/** The JSON text of `heartbeatFromBackend`: never throws either (its status is plain JSON data). */
export function heartbeatJson(
  selfId: () => number,
  interval: number,
  status: () => BackendStatus,
  onProblem: HeartbeatProblem,
): string {
  return JSON.stringify(heartbeatFromBackend(selfId, interval, status, onProblem));
}

/**
 * A `HeartbeatProblem` that logs the first problem at warn and the rest not
 * at all: a broken backend status repeats every interval, and one line says it.
 * `bindings` (e.g. the connection's role) go on that line.
 */
export function warnHeartbeatProblemOnce(
  logger: Logger,
  bindings: Record<string, unknown> = {},
): HeartbeatProblem {
  let warned = false;
  return (reason, error) => {
    if (warned) return;
    warned = true;
    logger.warn(
      { ...bindings, ...(error instanceof Error ? { err: error.message } : {}) },
      `heartbeat sent with status {online, good} only: ${reason}`,
    );
  };
}
