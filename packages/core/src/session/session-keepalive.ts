import type { Logger } from '../logger.js';
import { DEFAULT_PING_INTERVAL_MS, type SessionRole } from './session-options.js';
import type { SessionSocket } from './socket.js';

/** What the keepalive needs from its session: one object, so a connection pays for no extra closures. */
export interface KeepaliveHost {
  readonly receivesEvents: boolean;
  readonly socket: SessionSocket;
  readonly logger: Logger;
  readonly role: SessionRole;
  sendHeartbeat(): void;
  dispose(): void;
}

// Module-level timer callbacks (the keepalive is passed as the timer's argument): no closure per connection.
function onHeartbeatTick(keepalive: SessionKeepalive): void {
  keepalive.host.sendHeartbeat();
}

function onPingTick(keepalive: SessionKeepalive): void {
  keepalive.pingTick();
}

/**
 * A session's two timers: heartbeat meta events (every heartInterval, on a
 * connection that receives events) and protocol-level pings (every
 * heartInterval, 30 s when it is 0). A peer that answered none of the last
 * two pings is given up on at the third tick.
 */
export class SessionKeepalive {
  private heartbeatTimer: NodeJS.Timeout | undefined = undefined;
  private pingTimer: NodeJS.Timeout | undefined = undefined;
  private unansweredPings = 0;

  constructor(readonly host: KeepaliveHost) {}

  /** (Re)start both timers for this interval. */
  restart(heartInterval: number): void {
    this.stop();
    if (this.host.receivesEvents && heartInterval > 0) {
      this.heartbeatTimer = setInterval(onHeartbeatTick, heartInterval, this);
      this.heartbeatTimer.unref();
    }
    this.pingTimer = setInterval(
      onPingTick,
      heartInterval > 0 ? heartInterval : DEFAULT_PING_INTERVAL_MS,
      this,
    );
    this.pingTimer.unref();
  }

  stop(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.heartbeatTimer = undefined;
    this.pingTimer = undefined;
  }

  /** The peer showed it is alive (a frame or a pong). */
  answered(): void {
    this.unansweredPings = 0;
  }

  pingTick(): void {
    if (this.unansweredPings >= 2) {
      const { host } = this;
      host.logger.warn(
        { role: host.role },
        'peer did not answer two pings in a row; terminating the connection',
      );
      try {
        host.socket.terminate();
      } finally {
        host.dispose();
      }
      return;
    }
    this.unansweredPings += 1;
    try {
      this.host.socket.ping();
    } catch (error) {
      this.host.logger.debug({ err: error, role: this.host.role }, 'ping failed');
    }
  }
}
