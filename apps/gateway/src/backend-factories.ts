import { OneBotError, type ActionRouter, type Backend, type EventBus, type GatewaySection, type Logger } from '@onebot-gateway/core';

export interface BackendDependencies {
  router: ActionRouter;
  bus: EventBus;
  logger: Logger;
}

type BackendFactory = (config: Record<string, unknown>, dependencies: BackendDependencies) => Backend;

/** One line per backend type (`gateway.backend.type`); each package is loaded only when used. */
export const backendFactories: Record<string, () => Promise<BackendFactory>> = {
  sandbox: () => import('@onebot-gateway/backend-sandbox').then((m) => (config, dependencies) => m.createSandboxBackend({ config, ...dependencies })),
  upstream: () => import('@onebot-gateway/backend-upstream').then((m) => (config, dependencies) => m.createUpstreamBackend({ config, ...dependencies })),
};

export async function createBackend(config: GatewaySection['backend'], dependencies: BackendDependencies): Promise<Backend> {
  const load = backendFactories[config.type];
  if (!load) {
    const known = Object.keys(backendFactories).map((type) => `"${type}"`).join(', ');
    throw new OneBotError('CONFIG_INVALID', `gateway.backend.type: expected one of ${known}, got ${JSON.stringify(config.type)}`);
  }
  const factory = await load();
  return factory(config as Record<string, unknown>, dependencies);
}
