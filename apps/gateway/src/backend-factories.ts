import {
  OneBotError,
  type ActionRouter,
  type Backend,
  type EventBus,
  type GatewaySection,
  type Logger,
  type NatsBackendConfig,
} from '@onebot-gateway/core';

export interface BackendDependencies {
  router: ActionRouter;
  bus: EventBus;
  logger: Logger;
}

type BackendFactory = (config: Record<string, unknown>, dependencies: BackendDependencies) => Backend;

/** One line per backend type (`gateway.backend.type`); each package is loaded only when used. */
export const backendFactories: Record<string, () => Promise<BackendFactory>> = {
  sandbox: () =>
    import('@onebot-gateway/backend-sandbox').then(
      (m) => (config, dependencies) => m.createSandboxBackend({ config, ...dependencies }),
    ),
  upstream: () =>
    import('@onebot-gateway/backend-upstream').then(
      (m) => (config, dependencies) => m.createUpstreamBackend({ config, ...dependencies }),
    ),
  nats: () =>
    import('@onebot-gateway/nats').then(
      (m) => (config, dependencies) =>
        m.createNatsBackend({ config: config as unknown as NatsBackendConfig, ...dependencies }),
    ),
};

/**
 * Per backend type: throws (a CONFIG_INVALID OneBotError naming the key) for
 * a `gateway.backend` that `createBackend` + `start()` would refuse, without
 * starting anything. Hot reload uses it: a backend change only applies on
 * restart, and that restart must not be the first to find out it is broken.
 */
export const backendValidators: Record<string, () => Promise<(config: Record<string, unknown>) => void>> = {
  sandbox: () =>
    import('@onebot-gateway/backend-sandbox').then((m) => (config) => void m.resolveSandboxConfig(config)),
  upstream: () =>
    import('@onebot-gateway/backend-upstream').then((m) => (config) => void m.validateUpstreamConfig(config)),
  nats: () => import('@onebot-gateway/nats').then((m) => (config) => m.validateNatsBackendConfig(config)),
};

function unknownType(type: unknown): OneBotError {
  const known = Object.keys(backendFactories)
    .map((name) => `"${name}"`)
    .join(', ');
  return new OneBotError(
    'CONFIG_INVALID',
    `gateway.backend.type: expected one of ${known}, got ${JSON.stringify(type)}`,
  );
}

export async function validateBackendConfig(config: GatewaySection['backend']): Promise<void> {
  const load = backendValidators[config.type];
  if (!load) throw unknownType(config.type);
  const validate = await load();
  validate(config as Record<string, unknown>);
}

export async function createBackend(
  config: GatewaySection['backend'],
  dependencies: BackendDependencies,
): Promise<Backend> {
  const load = backendFactories[config.type];
  if (!load) throw unknownType(config.type);
  const factory = await load();
  return factory(config as Record<string, unknown>, dependencies);
}
