import type { Backend, BackendOptions, BackendStatus, SandboxBackendConfig } from '@onebot-gateway/core';
import { registerExtraActions } from './actions/extra-actions.js';
import { registerFriendActions } from './actions/friend-actions.js';
import { registerGroupActions } from './actions/group-actions.js';
import { registerInfoActions } from './actions/info-actions.js';
import { registerMessageActions } from './actions/message-actions.js';
import type { RegisterAction } from './actions/register.js';
import { resolveSandboxConfig, type SandboxConfig, type SandboxConfigInput } from './config.js';
import { createMessageStore } from './history.js';
import { createSandboxOperator } from './operator.js';
import type { SandboxOperator } from './operator-types.js';
import { createRequestStore } from './requests.js';
import type { SandboxState } from './state.js';
import { createWorld } from './world.js';

export interface SandboxBackendOptions extends BackendOptions<
  SandboxConfigInput | SandboxBackendConfig | undefined
> {
  /** Clock in milliseconds; tests pass a fake one to move time (mute expiry, daily like limit). */
  now?: () => number;
}

export interface SandboxBackend extends Backend, SandboxOperator {
  readonly type: 'sandbox';
  /** The resolved world config (defaults filled). */
  readonly config: SandboxConfig;
  /** The actions this backend registered on the router. */
  actions(): string[];
}

/**
 * A simulated QQ account. Registers every OneBot 11 action (and the common
 * extensions) on `router` and publishes its events on `bus`. Throws a
 * CONFIG_INVALID OneBotError naming the key when the world config is invalid.
 */
export function createSandboxBackend(options: SandboxBackendOptions): SandboxBackend {
  const config = resolveSandboxConfig(options.config ?? {});
  const now = options.now ?? Date.now;
  const nowSeconds = () => Math.floor(now() / 1000);
  const logger = options.logger.child({ backend: 'sandbox' });
  let running = false;

  const state: SandboxState = {
    config,
    world: createWorld(config, nowSeconds()),
    history: createMessageStore({
      historyLimit: config.historyLimit,
      forwardLimit: config.historyLimit,
      conversationBytes: config.historyConversationBytes,
      totalBytes: config.historyTotalBytes,
    }),
    requests: createRequestStore(config.requestLimit),
    logger,
    nowSeconds,
    publish(event) {
      state.stats.eventsPublished += 1;
      options.bus.publish(event);
    },
    stats: { messagesSent: 0, messagesReceived: 0, eventsPublished: 0 },
    likes: { day: -1, counts: new Map() },
    images: new Map(),
  };

  const registered: string[] = [];
  const register: RegisterAction = (action, handler) => {
    options.router.register(action, handler);
    registered.push(action);
  };
  registerMessageActions(state, register);
  registerGroupActions(state, register);
  registerFriendActions(state, register);
  registerInfoActions(state, register, () => running);
  registerExtraActions(state, register);

  const operator = createSandboxOperator(state);

  return {
    type: 'sandbox',
    config,
    actions: () => [...registered],
    start() {
      if (!running) {
        running = true;
        logger.info(
          { selfId: config.selfId, friends: state.world.friends.size, groups: state.world.groups.size },
          `sandbox account ${config.selfId} (${config.nickname}) is online with ${state.world.friends.size} friends and ${state.world.groups.size} groups`,
        );
      }
      return Promise.resolve();
    },
    stop() {
      running = false;
      return Promise.resolve();
    },
    selfId: () => config.selfId,
    status(): BackendStatus {
      return { online: running, good: running };
    },
    ...operator,
  };
}
