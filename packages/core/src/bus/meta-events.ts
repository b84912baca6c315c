import type { BackendStatus } from '../adapter.js';
import type { OneBotEvent } from '../types/events.js';

export type LifecycleSubType = 'connect' | 'enable' | 'disable';

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** `meta_event` lifecycle: `connect` opens every event stream; http-client posts enable/disable. */
export function createLifecycleEvent(selfId: number, subType: LifecycleSubType): OneBotEvent {
  return { time: nowSeconds(), self_id: selfId, post_type: 'meta_event', meta_event_type: 'lifecycle', sub_type: subType };
}

/** `meta_event` heartbeat with exact types: `interval` is a number of ms. */
export function createHeartbeatEvent(selfId: number, interval: number, status: BackendStatus): OneBotEvent {
  return {
    time: nowSeconds(),
    self_id: selfId,
    post_type: 'meta_event',
    meta_event_type: 'heartbeat',
    status: { ...status, online: Boolean(status.online), good: Boolean(status.good) },
    interval: Number(interval),
  };
}
