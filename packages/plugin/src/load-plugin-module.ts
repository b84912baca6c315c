import { createRequire } from 'node:module';
import { relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { OneBotError } from '@onebot-gateway/core';
import { fromNapCatModule, isNapCatStyleModule } from './napcat-compat.js';
import { isInside, type ResolvedPluginEntry } from './resolve-plugin-entry.js';
import type { PluginDefinition } from './types.js';

const requireFromHere = createRequire(import.meta.url);
let generation = 0;

/**
 * Drop the plugin's own CommonJS files from require.cache, so a reload runs
 * the files its entry requires afresh too, not only the entry. Only files
 * under the plugin's folder, and none under a node_modules folder in it:
 * dependencies are not the plugin's code and reloading them buys nothing.
 */
function forgetCommonJsUnder(root: string): void {
  for (const file of Object.keys(requireFromHere.cache)) {
    if (!isInside(root, file)) continue;
    if (relative(root, file).split(sep).includes('node_modules')) continue;
    delete requireFromHere.cache[file];
  }
}

/**
 * Import the entry afresh. ESM modules are cached by URL for the life of the
 * process, so each load gets a new query string; CommonJS modules also sit
 * in require.cache, which is cleared first (the entry, and for the path and
 * folder forms every file of the plugin's folder).
 */
async function importFresh(entry: ResolvedPluginEntry): Promise<Record<string, unknown>> {
  delete requireFromHere.cache[entry.file];
  if (entry.root !== undefined) forgetCommonJsUnder(entry.root);
  generation += 1;
  return (await import(`${pathToFileURL(entry.file).href}?generation=${generation}`)) as Record<string, unknown>;
}

function isDefinition(value: unknown): value is PluginDefinition {
  return typeof value === 'object' && value !== null && typeof (value as PluginDefinition).setup === 'function';
}

/** What the module offers, in order of preference: a definition, a setup function, NapCat-style exports. */
function interpret(mod: Record<string, unknown>, entry: ResolvedPluginEntry): PluginDefinition | undefined {
  const candidates = [mod.default, mod.plugin, mod];
  for (const candidate of candidates) {
    if (isDefinition(candidate)) return candidate;
  }
  const defaultExport: unknown = mod.default;
  if (typeof defaultExport === 'function' && !isNapCatStyleModule(mod)) {
    return { setup: defaultExport as PluginDefinition['setup'] };
  }
  for (const candidate of [mod, defaultExport]) {
    if (isNapCatStyleModule(candidate)) return fromNapCatModule(candidate, { file: entry.file });
  }
  return undefined;
}

export async function loadPluginDefinition(plugin: string, entry: ResolvedPluginEntry): Promise<PluginDefinition> {
  let mod: Record<string, unknown>;
  try {
    mod = await importFresh(entry);
  } catch (error) {
    throw new OneBotError('PLUGIN_LOAD_FAILED', `plugin "${plugin}": importing "${entry.file}" failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const definition = interpret(mod, entry);
  if (!definition) {
    throw new OneBotError(
      'PLUGIN_LOAD_FAILED',
      `plugin "${plugin}": "${entry.file}" exports neither a plugin ({ setup(ctx) }, default or named "plugin"), a default setup function, nor NapCat-style plugin_init/plugin_onmessage/plugin_onevent`,
    );
  }
  return definition;
}
