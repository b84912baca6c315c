import { MAX_TIMER_MS, OneBotError, type PluginConfig } from '@onebot-gateway/core';

/** Default time `setup` may take before the plugin counts as failed. */
export const DEFAULT_SETUP_TIMEOUT_MS = 10_000;

/**
 * A whole number of milliseconds from one of the entry's own keys. Core's
 * schema does not know these keys and keeps them as written, so NapCat-style
 * strings ("5000") are accepted here as they are for core's own timer keys.
 */
function readMilliseconds(config: PluginConfig, key: string, defaultValue: number, min: number): number {
  const raw = config[key];
  if (raw === undefined || raw === null || raw === '') return defaultValue;
  const value = typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > MAX_TIMER_MS) {
    throw new OneBotError(
      'CONFIG_INVALID',
      `plugins[${JSON.stringify(config.name)}].${key}: expected whole milliseconds from ${min} to ${MAX_TIMER_MS}, got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

export interface PluginEntrySettings {
  /** `heartInterval`: heartbeat meta events to the plugin every so many ms; 0 = none (NapCat sends none). */
  heartInterval: number;
  /** `setupTimeout`: how long `setup` may run. */
  setupTimeout: number;
}

export function readEntrySettings(config: PluginConfig): PluginEntrySettings {
  return {
    heartInterval: readMilliseconds(config, 'heartInterval', 0, 0),
    setupTimeout: readMilliseconds(config, 'setupTimeout', DEFAULT_SETUP_TIMEOUT_MS, 1),
  };
}
