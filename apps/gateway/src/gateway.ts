import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import {
  adapterEntries,
  createActionRouter,
  createEventBus,
  noopLogger,
  type ConfigProblem,
  type GatewayConfig,
  type Logger,
} from '@onebot-gateway/core';
import { adapterFactories } from './adapter-factories.js';
import { createAdapterSupervisor, type ApplyResult, type TlsReloadResult } from './adapter-supervisor.js';
import { healthOf } from './admin/admin-server.js';
import { startAdminApi } from './admin-startup.js';
import { createBackend, validateBackendConfig } from './backend-factories.js';
import { ensureConfigFile, readConfigFile } from './config/config-file.js';
import { parseGatewayConfig, resolveGatewayConfig } from './config/adapter-fields.js';
import { configProblemsOf } from './config/config-problems.js';
import { watchConfigFile, type ConfigWatcher } from './config/config-watcher.js';
import { formatConfigLike, writeConfigAtomically } from './config/config-writer.js';
import type {
  ConfigReplacement,
  GatewayConfigFile,
  GatewayHandle,
  StartGatewayOptions,
} from './gateway-types.js';
import { logTapOf } from './logger.js';

export type {
  ConfigReplacement,
  GatewayConfigFile,
  GatewayHandle,
  StartGatewayOptions,
} from './gateway-types.js';

interface LevelledLogger extends Logger {
  level?: string;
}

/** Parts of `gateway` that only take effect at start. */
function restartOnlyChanges(before: GatewayConfig, after: GatewayConfig): string[] {
  return (['backend', 'admin'] as const)
    .filter((key) => !isDeepStrictEqual(before.gateway[key], after.gateway[key]))
    .map((key) => `gateway.${key}`);
}

function toConfig(input: unknown): GatewayConfig {
  return resolveGatewayConfig(input ?? {}, '<inline config>');
}

/**
 * Start a gateway: backend, adapters, admin API and (with a file) hot reload.
 * Rejects when the config is invalid or the backend cannot start; an adapter
 * that cannot start is only marked failed.
 */
export async function startGateway(options: StartGatewayOptions): Promise<GatewayHandle> {
  const logger: LevelledLogger = options.logger ?? noopLogger;
  const configPath = options.configPath === undefined ? undefined : resolve(options.configPath);
  let lastText: string | undefined;
  let current: GatewayConfig;
  if (configPath) {
    if (options.createMissing ?? true) await ensureConfigFile(configPath, logger);
    const loaded = await readConfigFile(configPath);
    current = loaded.config;
    lastText = loaded.text;
  } else {
    current = toConfig(options.config);
  }
  if (current.gateway.logLevel && 'level' in logger) logger.level = current.gateway.logLevel;
  const logTap = options.logTap ?? logTapOf(logger);

  // The send limiter keeps one bucket per account; the backend, made with this router, says which.
  const account = { selfId: (): number => 0 };
  const router = createActionRouter({
    logger: logger.child({ component: 'router' }),
    rateLimit: current.gateway.rateLimit,
    accountOf: () => account.selfId(),
  });
  const bus = createEventBus({ logger: logger.child({ component: 'bus' }) });
  // The same backend check as `check`, hot reload and the admin API: a start must not be laxer.
  await validateBackendConfig(current.gateway.backend);
  const backend = await createBackend(current.gateway.backend, { router, bus, logger });
  account.selfId = () => backend.selfId();
  await backend.start();
  logger.info(
    { backend: backend.type, selfId: backend.selfId() },
    `backend "${backend.type}" ready (self_id ${backend.selfId()})`,
  );

  const baseDir = configPath ? dirname(configPath) : process.cwd();
  const supervisor = createAdapterSupervisor(
    adapterFactories,
    {
      router,
      bus,
      logger,
      selfId: () => backend.selfId(),
      backendStatus: () => backend.status(),
      ...(backend.durableEvents ? { durableEvents: backend.durableEvents() } : {}),
    },
    { baseDir },
  );
  await supervisor.apply(adapterEntries(current));

  // Reloads run one after another, so a burst of saves never interleaves two applies.
  let reloadChain: Promise<unknown> = Promise.resolve();
  function serialised<T>(task: () => Promise<T>): Promise<T> {
    const run = reloadChain.then(task, task);
    reloadChain = run.catch(() => undefined);
    return run;
  }

  const configFile: GatewayConfigFile | undefined = configPath
    ? {
        path: configPath,
        text: () => lastText ?? '',
        replace: (build) => serialised(() => replaceConfigFile(configPath, build)),
      }
    : undefined;

  const { admin, adminFailure } = await startAdminApi(
    current.gateway.admin,
    logger,
    { baseDir },
    {
      reports: supervisor.reports,
      backend: () => backend,
      logger,
      callAction: (request) => router.handle(request),
      rateLimits: () => router.rateLimitStatus(),
      subscribe: (subscription, listener) => bus.subscribe(subscription, listener),
      eventsPublished: () => bus.publishedCount(),
      ...(configFile ? { configFile } : {}),
      ...(logTap ? { logTap } : {}),
    },
  );

  async function apply(next: GatewayConfig): Promise<ApplyResult> {
    for (const key of restartOnlyChanges(current, next)) {
      logger.warn(`${key} changed: restart the gateway to apply it (the running ${key} stays)`);
    }
    if (next.gateway.logLevel && 'level' in logger) logger.level = next.gateway.logLevel;
    if (!isDeepStrictEqual(current.gateway.rateLimit, next.gateway.rateLimit)) {
      // In place: waiting calls keep their order and leave at the new rate (all at once when switched off).
      router.setRateLimit(next.gateway.rateLimit);
      logger.info({ rateLimit: next.gateway.rateLimit }, 'gateway.rateLimit changed; applied in place');
    }
    const result = await supervisor.apply(adapterEntries(next));
    // A reload re-reads every TLS file: changed entries did in reload(), the others (and the admin API) do here.
    await reloadTlsFiles(result.unchanged);
    current = {
      ...next,
      gateway: { ...next.gateway, backend: current.gateway.backend, admin: current.gateway.admin },
    };
    logger.info(
      result,
      `config applied: ${result.started.length} started, ${result.stopped.length} stopped, ${result.reloaded.length} reloaded, ${result.unchanged.length} unchanged, ${result.failed.length} failed`,
    );
    return result;
  }

  async function reloadFromFile(): Promise<ApplyResult | undefined> {
    if (!configPath) return undefined;
    let loaded;
    try {
      loaded = await readConfigFile(configPath);
    } catch (error) {
      // A rename-write can leave a moment without the file; the next event brings it back.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      logger.error(`config change ignored, the running configuration stays: ${(error as Error).message}`);
      return undefined;
    }
    if (loaded.text === lastText) return undefined;
    try {
      // gateway.backend only applies on restart; a broken one must not wait until then to be found.
      await validateBackendConfig(loaded.config.gateway.backend);
    } catch (error) {
      logger.error(
        `config change ignored, the running configuration stays: ${basename(configPath)}: ${(error as Error).message}`,
      );
      return undefined;
    }
    lastText = loaded.text;
    logger.info({ configPath }, `${configPath} changed; applying`);
    return apply(loaded.config);
  }

  async function replaceConfigFile(
    path: string,
    build: (currentText: string) => { config: unknown; problems: ConfigProblem[] },
  ): Promise<ConfigReplacement> {
    const previousText = lastText ?? '';
    const built = build(previousText);
    if (built.problems.length > 0) return { ok: false, problems: built.problems };
    const text = formatConfigLike(built.config, previousText);
    let next: GatewayConfig;
    try {
      // The very parser the watcher uses, on the very text it will read back.
      next = parseGatewayConfig(text, basename(path));
      await validateBackendConfig(next.gateway.backend);
    } catch (error) {
      return { ok: false, problems: configProblemsOf(error, 'gateway.backend') };
    }
    // The replacement was built from lastText: a hand edit not applied yet (the watcher's
    // debounce) or refused (invalid) would be silently overwritten.
    const onDisk = await readFile(path, 'utf8').catch(() => undefined);
    if (onDisk !== previousText) {
      return {
        ok: false,
        changedOnDisk:
          `${basename(path)} changed on disk since the gateway last loaded or saved it (an edit not applied yet, ` +
          `or one it refused: see the log); nothing was saved: reload the page (GET /api/config again) once ` +
          `the edit is applied, and make your change again`,
      };
    }
    await writeConfigAtomically(path, text);
    // Set before the watcher's event is handled: it then reads the same text and does nothing.
    lastText = text;
    logger.info({ configPath: path }, `${path} replaced through the admin API; applying`);
    const restartRequired = restartOnlyChanges(current, next);
    return { ok: true, result: await apply(next), restartRequired };
  }

  async function reloadTlsFiles(adapterNames?: readonly string[]): Promise<TlsReloadResult> {
    const result = await supervisor.reloadTls(adapterNames);
    if (admin !== undefined && current.gateway.admin.tls !== undefined) {
      try {
        await admin.reloadTls();
        result.reloaded.push('admin API');
      } catch (error) {
        result.failed['admin API'] = (error as Error).message;
        logger.error(`${(error as Error).message}; the running certificate stays`);
      }
    }
    return result;
  }

  let watcher: ConfigWatcher | undefined;
  if (configPath && (options.watch ?? true)) {
    watcher = watchConfigFile(configPath, () => void serialised(reloadFromFile), logger);
  }

  let stopping: Promise<void> | undefined;
  async function stop(): Promise<void> {
    watcher?.close();
    await reloadChain;
    // First, while the adapters can still deliver it: every call waiting for the send rate limit is
    // answered. Those answers are written from promise callbacks: one turn of the event loop lets them
    // all reach their sockets before the adapters close them.
    router.dispose();
    await new Promise((resolve) => setImmediate(resolve));
    await supervisor.stopAll();
    await backend.stop();
    await admin?.close();
    logger.info('gateway stopped');
  }

  return {
    config: () => current,
    adapters: () => supervisor.reports(),
    health: () => healthOf(supervisor.reports(), { backend, ...(adminFailure ? { adminFailure } : {}) }),
    rateLimits: () => router.rateLimitStatus(),
    backend: () => backend,
    adminAddress: () => admin?.address,
    applyConfig: (input) =>
      serialised(async () => {
        const next = toConfig(input);
        await validateBackendConfig(next.gateway.backend);
        return apply(next);
      }),
    reloadFromFile: () => serialised(reloadFromFile),
    reloadTls: () =>
      serialised(async () => {
        const result = await reloadTlsFiles();
        const failed = Object.keys(result.failed);
        logger.info(
          result,
          `TLS files re-read: ${result.reloaded.length} listener${result.reloaded.length === 1 ? '' : 's'} renewed, ${failed.length} kept their certificate${failed.length === 0 ? '' : ` (${failed.join(', ')})`}`,
        );
        return result;
      }),
    configFile: () => configFile,
    stop: () => (stopping ??= stop()),
  };
}
