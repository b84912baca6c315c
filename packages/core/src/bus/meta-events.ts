import type { BackendStatus } from '../adapter.js';
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
 * `meta_event` heartbeat with exact types whatever the caller passes:
 * `interval` is a number of ms and `status.online` / `status.good` are
 * booleans, because clients compare them strictly.
 */
export function createHeartbeatEvent(
  selfId: number,
  interval: number,
  status: BackendStatus,
): HeartbeatMetaEvent {
  const ms = Number(interval);
  return {
    time: nowSeconds(),
    self_id: selfId,
    post_type: 'meta_event',
    meta_event_type: 'heartbeat',
    status: { ...status, online: Boolean(status.online), good: Boolean(status.good) },
    interval: Number.isFinite(ms) ? ms : 0,
  };
}
