import type { PluginConfig } from '@onebot-gateway/core';
import { configInvalidError, resolveFields } from '@onebot-gateway/core/internal';
import type { ConfigProblem } from '@onebot-gateway/core';
import { pluginConfigFields } from './config-fields.js';

/** Default time `setup` may take before the plugin counts as failed. */
export const DEFAULT_SETUP_TIMEOUT_MS = 10_000;

export interface PluginEntrySettings {
  /** `heartInterval`: heartbeat meta events to the plugin every so many ms; 0 = none (NapCat sends none). */
  heartInterval: number;
  /** `setupTimeout`: how long `setup` may run. */
  setupTimeout: number;
}

/**
 * This package's own keys of the entry (config-fields.ts), coerced and
 * defaulted; a gateway has validated them at load already, a direct caller
 * of `createPluginAdapter` gets the same errors here.
 */
export function readEntrySettings(config: PluginConfig): PluginEntrySettings {
  const problems: ConfigProblem[] = [];
  const path = `plugins[${JSON.stringify(config.name)}]`;
  const settings = resolveFields(config, pluginConfigFields, path, problems);
  if (problems.length > 0) throw configInvalidError(undefined, problems);
  return {
    heartInterval: settings['heartInterval'] as number,
    setupTimeout: settings['setupTimeout'] as number,
  };
}
