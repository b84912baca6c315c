import type { DeliveredEvent } from '../bus/event-bus.js';

/**
 * Events held for a universal connection that has not sent its first frame
 * yet (enableForcePushEvent false), at most `max`, oldest dropped first.
 * Made only when such a connection gets its first event: most never need it.
 */
export class HeldEvents {
  readonly events: DeliveredEvent[] = [];
  private dropped = 0;

  /** Hold one event; true on the first drop only (the caller warns once per connection). */
  hold(delivered: DeliveredEvent, max: number): boolean {
    this.events.push(delivered);
    if (this.events.length <= max) return false;
    this.events.shift();
    return this.dropped++ === 0;
  }
}
