import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  OneBotError,
  createAdapterCounters,
  type Adapter,
  type AdapterContext,
  type AdapterState,
  type AdapterStatus,
  type OneBotEvent,
  type PluginConfig,
} from '@onebot-gateway/core';
import { loadPluginDefinition } from './load-plugin-module.js';
import { createPluginInstance, type PluginInstance } from './plugin-instance.js';
import { resolvePluginEntry } from './resolve-plugin-entry.js';
import type { PluginAdapterOptions } from './types.js';

export interface PluginAdapter extends Adapter<PluginConfig> {
  /** Handlers the live plugin instance has registered (0 when stopped). */
  handlerCount(): number;
}

const defaults = { enable: false, messagePostFormat: 'array', reportSelfMessage: false, debug: false, options: {} } as const;

function withDefaults(config: Partial<PluginConfig> & { name: string }): PluginConfig {
  return { ...defaults, ...config, options: config.options ?? {} } as PluginConfig;
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
  const counters = createAdapterCounters();
  let state: AdapterState = 'idle';
  let instance: PluginInstance | undefined;
  let unsubscribe: (() => void) | undefined;
  let entryFile: string | undefined;
  let transition: Promise<void> = Promise.resolve();

  const dataRoot = resolve(options.dataRoot ?? join(options.baseDir, '.data', 'plugins'));

  async function load(): Promise<void> {
    state = 'starting';
    try {
      const entry = resolvePluginEntry(config.name, config.module, options.baseDir);
      entryFile = entry.file;
      const definition = await loadPluginDefinition(config.name, entry.file);
      const dataDir = join(dataRoot, config.name);
      await mkdir(dataDir, { recursive: true });
      const next = createPluginInstance({
        name: config.name,
        context,
        logger,
        options: config.options,
        dataDir,
        disposeTimeoutMs: options.disposeTimeoutMs ?? 5000,
      });
      try {
        await definition.setup(next.ctx);
      } catch (error) {
        await next.dispose();
        throw new OneBotError('PLUGIN_LOAD_FAILED', `plugin "${config.name}": setup threw: ${(error as Error)?.message ?? String(error)}`, {
          cause: error,
        });
      }
      instance = next;
      // Each plugin gets its own copy of the event: a plugin that mutates it
      // can change neither what other plugins see nor what goes on the wire.
      unsubscribe = context.subscribe(
        { format: config.messagePostFormat, reportSelfMessage: config.reportSelfMessage },
        (delivered) => {
          if (config.debug) logger.info({ plugin: config.name, event: delivered.json }, 'event to plugin');
          counters.eventsSent += 1;
          next.dispatch(JSON.parse(delivered.json) as OneBotEvent);
        },
      );
      state = 'running';
      logger.info({ plugin: config.name, file: entry.file, source: entry.source }, `plugin "${config.name}" loaded`);
    } catch (error) {
      state = 'failed';
      counters.recordError(error);
      logger.error({ err: error, plugin: config.name }, `plugin "${config.name}" could not start`);
      throw error;
    }
  }

  async function unload(): Promise<void> {
    unsubscribe?.();
    unsubscribe = undefined;
    const current = instance;
    instance = undefined;
    await current?.dispose();
  }

  /** Start, stop and reload run one at a time, in call order. */
  function serialise(step: () => Promise<void>): Promise<void> {
    const run = transition.then(step, step);
    transition = run.catch(() => {});
    return run;
  }

  const adapter: PluginAdapter = {
    get name() {
      return config.name;
    },
    kind: 'plugins',
    start: () =>
      serialise(async () => {
        if (state === 'running') return;
        await load();
      }),
    stop: () =>
      serialise(async () => {
        if (state === 'stopped' || state === 'idle') return;
        state = 'stopping';
        await unload();
        state = 'stopped';
      }),
    reload: (nextConfig) =>
      serialise(async () => {
        const wasLive = state === 'running' || state === 'failed';
        await unload();
        config = withDefaults(nextConfig);
        if (wasLive) await load();
      }),
    status(): AdapterStatus {
      return {
        state,
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
