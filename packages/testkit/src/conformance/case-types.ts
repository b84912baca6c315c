import type { FakeBackend } from '../fake-backend.js';
import type { ConformanceFlag } from './drivers.js';
import type { Harness } from './harness.js';
import type {
  ConformanceCapabilities,
  ConformanceSettings,
  ConformanceTarget,
  EventStream,
} from './types.js';

/** The describe block a case is listed under, in the order the suite registers them. */
export const conformanceGroups = [
  'actions',
  'events',
  'auth (server)',
  'auth (client)',
  'lifecycle',
] as const;
export type ConformanceGroup = (typeof conformanceGroups)[number];

/** What a case gets to work with: one fresh fake backend and adapter per test. */
export interface CaseContext {
  readonly backend: FakeBackend;
  readonly caps: ConformanceCapabilities;
  readonly timeoutMs: number;
  has(flag: ConformanceFlag): boolean;
  /** Start the adapter with these settings (defaults: no token, array format, no heartbeat). */
  start(overrides?: Partial<ConformanceSettings>): Promise<Harness>;
  /** The adapter `start` started (its `stop()` may be called again by the suite afterwards). */
  readonly target: ConformanceTarget;
  /** The next event that is not a heartbeat (heartbeats may interleave on slow machines). */
  nextNonHeartbeat(stream: EventStream): Promise<Record<string, unknown>>;
}

/** One conformance test: run for every adapter that has all the flags in `needs`. */
export interface ConformanceCase {
  group: ConformanceGroup;
  /** A function when the name shows the adapter's capabilities. */
  name: string | ((caps: ConformanceCapabilities) => string);
  needs: readonly ConformanceFlag[];
  run(t: CaseContext): Promise<void>;
}
