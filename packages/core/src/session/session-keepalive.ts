import { DEFAULT_PING_INTERVAL_MS } from './session-options.js';

/**
 * A session's two timers: heartbeat meta events (every heartInterval, on a
 * connection that receives events) and protocol-level pings (every
 * heartInterval, 30 s when it is 0). A peer that answered none of the last
 * two pings is given up on at the third tick.
 */
export interface SessionKeepalive {
  /** (Re)start both timers for this interval. */
  restart(heartInterval: number): void;
  stop(): void;
  /** The peer showed it is alive (a frame or a pong). */
  answered(): void;
}

export interface KeepaliveHooks {
  receivesEvents: boolean;
  heartbeat(): void;
  ping(): void;
  /** Two pings went unanswered. */
  unanswered(): void;
}

export function createSessionKeepalive(hooks: KeepaliveHooks): SessionKeepalive {
  let heartbeatTimer: NodeJS.Timeout | undefined;
  let pingTimer: NodeJS.Timeout | undefined;
  let unansweredPings = 0;

  function onPingTick(): void {
    if (unansweredPings >= 2) {
      hooks.unanswered();
      return;
    }
    unansweredPings += 1;
    hooks.ping();
  }

  function stop(): void {
    if (heartbeatTimer) clearInterval(heartbeatTimer);
    if (pingTimer) clearInterval(pingTimer);
    heartbeatTimer = undefined;
    pingTimer = undefined;
  }

  return {
    restart(heartInterval) {
      stop();
      if (hooks.receivesEvents && heartInterval > 0) {
        heartbeatTimer = setInterval(hooks.heartbeat, heartInterval);
        heartbeatTimer.unref();
      }
      pingTimer = setInterval(onPingTick, heartInterval > 0 ? heartInterval : DEFAULT_PING_INTERVAL_MS);
      pingTimer.unref();
    },
    stop,
    answered() {
      unansweredPings = 0;
    },
  };
}
