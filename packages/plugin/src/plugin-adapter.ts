import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  OneBotError,
  type Adapter,
  type AdapterContext,
  type AdapterStatus,
  type OneBotEvent,
  type Logger,
  type PluginConfig,
} from '@onebot-gateway/core';
import {
  createAdapterCounters,
  createAdapterLifecycle,
  createTimerScope,
  heartbeatFromBackend,
  warnHeartbeatProblemOnce,
  createLifecycleEvent,
  passesFilterQuery,
  settleWithin,
} from '@onebot-gateway/core/internal';
import { readEntrySettings } from './entry-settings.js';
import { loadPluginDefinition } from './load-plugin-module.js';
import { createPluginInstance, type PluginInstance } from './plugin-instance.js';
import { assertSafePluginName, resolvePluginEntry } from './resolve-plugin-entry.js';
import type { PluginAdapterOptions, PluginDefinition } from './types.js';

export interface PluginAdapter extends Adapter<PluginConfig> {
  /** Handlers the live plugin instance has registered (0 when stopped). */
  handlerCount(): number;
}

const defaults = {
  enable: false,
  messagePostFormat: 'array',
  reportSelfMessage: false,
  debug: false,
  options: {},
} as const;

function withDefaults(config: Partial<PluginConfig> & { name: string }): PluginConfig {
  return { ...defaults, ...config, options: config.options ?? {} } as PluginConfig;
}

/**
 * The plugin's own copy of its options: the entry object belongs to whoever
 * created the adapter (the gateway compares it on reload), so a plugin that
 * changes `ctx.options` must not change it.
 */
function copyOptions(config: PluginConfig): Record<string, unknown> {
  try {
    return structuredClone(config.options);
  } catch (error) {
    throw new OneBotError(
      'PLUGIN_LOAD_FAILED',
      `plugin "${config.name}": its options must be plain data (they are copied for the plugin)`,
      {
        cause: error,
      },
    );
  }
}

const TIMED_OUT = Symbol('timed out');

/**
 * Run `setup`, bounded: one that never settles would otherwise hold up the
 * gateway's start (and every later stop or reload of this adapter). On a
 * throw or a timeout the instance is disposed and the start fails.
 */
async function runSetup(
  plugin: string,
  definition: PluginDefinition,
  target: PluginInstance,
  timeoutMs: number,
  logger: Logger,
): Promise<void> {
  const setup = Promise.resolve().then(() => definition.setup(target.ctx));
  let outcome: unknown;
  try {
    const settled = await settleWithin(setup, timeoutMs);
    outcome = settled.settled ? settled.value : TIMED_OUT;
  } catch (error) {
    await target.dispose();
    throw new OneBotError(
      'PLUGIN_LOAD_FAILED',
      `plugin "${plugin}": setup threw: ${(error as Error)?.message ?? String(error)}`,
      {
        cause: error,
      },
    );
  }
  if (outcome !== TIMED_OUT) return;
  // Whatever the abandoned setup does later runs against a disposed context; its failure is only logged.
  setup.catch((error: unknown) =>
    logger.warn({ err: error, plugin }, `plugin "${plugin}": setup failed after it had timed out`),
  );
  await target.dispose();
  throw new OneBotError(
    'PLUGIN_LOAD_FAILED',
    `plugin "${plugin}": setup did not finish within ${timeoutMs} ms (entry key "setupTimeout"); the plugin was disposed`,
  );
}

/**
 * The in-process adapter: loads one plugin module and feeds it events in
 * its entry's format. A plugin that fails to load or set up fails this
 * adapter only; a handler that throws is logged and isolated.
 */
export function createPluginAdapter(
  initialConfig: Partial<PluginConfig> & { name: string },
  context: AdapterContext,
  options: PluginAdapterOptions,
): PluginAdapter {
  let config = withDefaults(initialConfig);
  const logger = context.logger;
  const heartbeatProblem = warnHeartbeatProblemOnce(logger);
  const counters = createAdapterCounters();
  let instance: PluginInstance | undefined;
  let unsubscribe: (() => void) | undefined;
  let entryFile: string | undefined;
  /** The heartbeat interval: cleared with everything else on unload. */
  const timers = createTimerScope();

  const dataRoot = resolve(options.dataRoot ?? join(options.baseDir, '.data', 'plugins'));

  /** Meta events are made here, for this plugin alone; each delivery is counted like a bus event. */
  function deliverOwn(target: PluginInstance, event: OneBotEvent): void {
    if (!passesFilterQuery(config.filter, event)) return;
    if (config.debug) logger.info({ plugin: config.name, event }, 'event to plugin');
    counters.eventsSent += 1;
    target.dispatch(event);
  }

  function startHeartbeat(target: PluginInstance, interval: number): void {
    if (interval <= 0) return;
    timers.interval(() => {
      // Never throws: a throw here, in a timer, would end the process.
      const heartbeat = heartbeatFromBackend(
        () => context.selfId(),
        interval,
        () => context.backendStatus(),
        heartbeatProblem,
      );
      deliverOwn(target, heartbeat);
    }, interval);
  }

  async function load(): Promise<void> {
    try {
      // Checked for every form: the name also names the data folder, which must stay under dataRoot.
      assertSafePluginName(config.name);
      const settings = readEntrySettings(config);
      const entry = resolvePluginEntry(config.name, config.module, options.baseDir);
      entryFile = entry.file;
      const definition = await loadPluginDefinition(config.name, entry);
      const dataDir = join(dataRoot, config.name);
      await mkdir(dataDir, { recursive: true });
      const next = createPluginInstance({
        name: config.name,
        context,
        logger,
        options: copyOptions(config),
        dataDir,
        disposeTimeoutMs: options.disposeTimeoutMs ?? 5000,
      });
      await runSetup(config.name, definition, next, settings.setupTimeout, logger);
      instance = next;
      // Lifecycle first, then the bus: no event can come between the two.
      deliverOwn(next, createLifecycleEvent(context.selfId(), 'enable'));
      // Each plugin gets its own copy of the event: a plugin that mutates it
      // can change neither what other plugins see nor what goes on the wire.
      unsubscribe = context.subscribe(
        {
          format: config.messagePostFormat,
          reportSelfMessage: config.reportSelfMessage,
          filter: () => config.filter,
        },
        (delivered) => {
          if (config.debug) logger.info({ plugin: config.name, event: delivered.json }, 'event to plugin');
          counters.eventsSent += 1;
          next.dispatch(JSON.parse(delivered.json) as OneBotEvent);
        },
      );
      startHeartbeat(next, settings.heartInterval);
      logger.info(
        { plugin: config.name, file: entry.file, source: entry.source },
        `plugin "${config.name}" loaded`,
      );
    } catch (error) {
      logger.error({ err: error, plugin: config.name }, `plugin "${config.name}" could not start`);
      throw error;
    }
  }

  async function unload(): Promise<void> {
    timers.clearAll();
    unsubscribe?.();
    unsubscribe = undefined;
    const current = instance;
    instance = undefined;
    if (!current) return;
    // The last event the instance sees; handlers run up to their first await before disposal.
    deliverOwn(current, createLifecycleEvent(context.selfId(), 'disable'));
    await current.dispose();
  }

  /** Start, stop and reload run one at a time, in call order. */
  const lifecycle = createAdapterLifecycle({
    open: load,
    close: unload,
    onError: (error) => counters.recordError(error),
  });

  const adapter: PluginAdapter = {
    get name() {
      return config.name;
    },
    kind: 'plugins',
    start: () => lifecycle.start(),
    stop: () => lifecycle.stop(),
    reload: (nextConfig) =>
      lifecycle.serially(async () => {
        const wasLive = lifecycle.state === 'running' || lifecycle.state === 'failed';
        // Unloaded with the old entry (its format, its `disable` filter), loaded with the new one.
        if (lifecycle.state === 'running') await unload();
        config = withDefaults(nextConfig);
        if (wasLive) await lifecycle.reopen();
      }),
    status(): AdapterStatus {
      return {
        state: lifecycle.state,
        connections: instance ? 1 : 0,
        eventsSent: counters.eventsSent,
        actionsHandled: counters.actionsHandled,
        errors: counters.errors,
        ...(counters.lastError ? { lastError: counters.lastError } : {}),
        ...(entryFile ? { module: entryFile } : {}),
      };
    },
    handlerCount: () => instance?.handlerCount() ?? 0,
  };
  return adapter;
}
