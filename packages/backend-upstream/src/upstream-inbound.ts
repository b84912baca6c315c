import type WebSocket from 'ws';
import type { BackendStatus, EventBus, Logger, OneBotEvent } from '@onebot-gateway/core';
import type { FrameDrops } from './frame-drops.js';
import type { PendingActions } from './pending-actions.js';
import { isEventFrame, normaliseUpstreamEvent, selfIdOf } from './upstream-events.js';
import { describeFrame, readUpstreamFrame } from './upstream-frame.js';
import { isResponseFrame, normaliseUpstreamResponse } from './upstream-response.js';

/** What the upstream sends: events for the bus, answers for the calls waiting, its account and health. */
export interface UpstreamInbound {
  handleFrame(data: WebSocket.RawData): void;
  /** The account seen last (an event's self_id or get_login_info); 0 until then. */
  selfId(): number;
  learnSelfId(id: number): void;
  /** The `status` of the upstream's last heartbeat. */
  status(): BackendStatus | undefined;
}

export interface InboundContext {
  bus: EventBus;
  pending: PendingActions;
  drops: FrameDrops;
  log: Logger;
}

export function createUpstreamInbound({ bus, pending, drops, log }: InboundContext): UpstreamInbound {
  let learnedSelfId = 0;
  let upstreamStatus: BackendStatus | undefined;

  function handleEvent(event: OneBotEvent): void {
    const id = selfIdOf(event);
    if (id !== undefined) learnedSelfId = id;
    if (event.post_type === 'meta_event') {
      // Each adapter makes its own lifecycle and heartbeat events; the upstream's
      // only tell us whether the account is healthy.
      if (
        event.meta_event_type === 'heartbeat' &&
        typeof event.status === 'object' &&
        event.status !== null
      ) {
        upstreamStatus = event.status as BackendStatus;
      }
      return;
    }
    bus.publish(normaliseUpstreamEvent(event));
  }

  return {
    handleFrame(data) {
      const read = readUpstreamFrame(data);
      if (!read.ok) {
        // Unparsed, so an answer's echo is unknown: its caller fails at its timeout, as for a lost answer.
        drops.record(read.problem, read.detail);
        return;
      }
      const { frame } = read;
      try {
        if (isEventFrame(frame)) {
          handleEvent(frame);
          return;
        }
        if (isResponseFrame(frame) && typeof frame.echo === 'string') {
          if (pending.settle(frame.echo, normaliseUpstreamResponse(frame))) return;
        }
      } catch (error) {
        // Nothing the upstream sends may end the process: whatever slipped past the checks is dropped.
        drops.record('could not be handled', `${describeFrame(frame)} (${(error as Error).message})`);
        return;
      }
      log.debug('upstream sent an answer nobody is waiting for (late after a timeout, or not ours); ignored');
    },
    selfId: () => learnedSelfId,
    learnSelfId(id) {
      learnedSelfId = id;
    },
    status: () => upstreamStatus,
  };
}
