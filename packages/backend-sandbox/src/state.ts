import type { Logger, OneBotEvent } from '@onebot-gateway/core';
import type { SandboxConfig } from './config.js';
import type { MessageStore } from './history.js';
import type { RequestStore } from './requests.js';
import type { World } from './world.js';

/** Everything the action handlers and the operator API share. */
export interface SandboxState {
  config: SandboxConfig;
  world: World;
  history: MessageStore;
  requests: RequestStore;
  logger: Logger;
  /** Seconds, from the injected clock. */
  nowSeconds(): number;
  /** Publish on the core bus (synchronous: subscribers have it when this returns). */
  publish(event: OneBotEvent): void;
  stats: SandboxStats;
  /** How many likes each user got today, for send_like's daily limit. */
  likes: { day: number; counts: Map<number, number> };
  /** Image files seen in messages, by `file` (bounded), so get_image can answer for them. */
  images: Map<string, Record<string, unknown>>;
}

export interface SandboxStats {
  messagesSent: number;
  messagesReceived: number;
  eventsPublished: number;
}
