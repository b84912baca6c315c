import { OneBotError, type ActionRouter, type Backend, type EventBus, type GatewaySection, type Logger } from '@onebot-gateway/core';
import { createSandboxBackend } from '@onebot-gateway/backend-sandbox';
import { createUpstreamBackend } from '@onebot-gateway/backend-upstream';

export interface BackendDependencies {
  router: ActionRouter;
  bus: EventBus;
  logger: Logger;
}

type BackendFactory = (config: Record<string, unknown>, dependencies: BackendDependencies) => Backend;

/** One line per backend type (`gateway.backend.type`). */
export const backendFactories: Record<string, BackendFactory> = {
  sandbox: (config, dependencies) => createSandboxBackend({ config, ...dependencies }),
  upstream: (config, dependencies) => createUpstreamBackend({ config, ...dependencies }),
};

export function createBackend(config: GatewaySection['backend'], dependencies: BackendDependencies): Backend {
  const factory = backendFactories[config.type];
  if (!factory) {
    const known = Object.keys(backendFactories).map((type) => `"${type}"`).join(', ');
    throw new OneBotError('CONFIG_INVALID', `gateway.backend.type: expected one of ${known}, got ${JSON.stringify(config.type)}`);
  }
  return factory(config as Record<string, unknown>, dependencies);
}
