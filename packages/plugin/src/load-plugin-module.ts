import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { OneBotError } from '@onebot-gateway/core';
import { fromNapCatModule, isNapCatStyleModule } from './napcat-compat.js';
import type { PluginDefinition } from './types.js';

const requireFromHere = createRequire(import.meta.url);
let generation = 0;

/**
 * Import the file afresh. ESM modules are cached by URL for the life of the
 * process, so each load gets a new query string; CommonJS modules also sit
 * in require.cache, which is cleared for the file first.
 */
async function importFresh(file: string): Promise<Record<string, unknown>> {
  delete requireFromHere.cache[file];
  generation += 1;
  return (await import(`${pathToFileURL(file).href}?generation=${generation}`)) as Record<string, unknown>;
}

function isDefinition(value: unknown): value is PluginDefinition {
  return typeof value === 'object' && value !== null && typeof (value as PluginDefinition).setup === 'function';
}

/** What the module offers, in order of preference: a definition, a setup function, NapCat-style exports. */
function interpret(mod: Record<string, unknown>): PluginDefinition | undefined {
  const candidates = [mod.default, mod.plugin, mod];
  for (const candidate of candidates) {
    if (isDefinition(candidate)) return candidate;
  }
  const defaultExport: unknown = mod.default;
  if (typeof defaultExport === 'function' && !isNapCatStyleModule(mod)) {
    return { setup: defaultExport as PluginDefinition['setup'] };
  }
  for (const candidate of [mod, defaultExport]) {
    if (isNapCatStyleModule(candidate)) return fromNapCatModule(candidate);
  }
  return undefined;
}

export async function loadPluginDefinition(plugin: string, file: string): Promise<PluginDefinition> {
  let mod: Record<string, unknown>;
  try {
    mod = await importFresh(file);
  } catch (error) {
    throw new OneBotError('PLUGIN_LOAD_FAILED', `plugin "${plugin}": importing "${file}" failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const definition = interpret(mod);
  if (!definition) {
    throw new OneBotError(
      'PLUGIN_LOAD_FAILED',
      `plugin "${plugin}": "${file}" exports neither a plugin ({ setup(ctx) }, default or named "plugin"), a default setup function, nor NapCat-style plugin_init/plugin_onmessage/plugin_onevent`,
    );
  }
  return definition;
}
