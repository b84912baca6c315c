import { createRequire } from 'node:module';
import { relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { OneBotError } from '@onebot-gateway/core';
import { fromNapCatModule, isNapCatStyleModule } from './napcat-compat.js';
import { isInside, type ResolvedPluginEntry } from './resolve-plugin-entry.js';
import type { PluginDefinition } from './types.js';

const requireFromHere = createRequire(import.meta.url);
let generation = 0;

/** A CommonJS file of the plugin's own, not a dependency under a node_modules folder in it. */
function isOwnFile(root: string, file: string): boolean {
  return isInside(root, file) && !relative(root, file).split(sep).includes('node_modules');
}

/**
 * For each entry file, the CommonJS files of the plugin's folder that its
 * last import brought into require.cache: what to drop before the next one
 * when the entry's own module graph cannot be walked (an ESM entry that
 * requires CommonJS helpers, or a loader that keeps the entry elsewhere).
 */
const modulesLoadedBy = new Map<string, string[]>();

/**
 * Drop the plugin's own CommonJS files from require.cache, so a reload runs
 * the files its entry requires afresh too, not only the entry: every file
 * under a folder that holds this plugin alone; else the files the entry
 * requires (its module graph, or what its last import loaded) under its
 * folder, which other plugins may share. Dependencies under node_modules
 * are not the plugin's code and reloading them buys nothing.
 */
function forgetOwnCommonJs(entry: ResolvedPluginEntry): void {
  const root = entry.root;
  const cache = requireFromHere.cache;
  const forget = (file: string): void => {
    delete cache[file];
  };
  if (root !== undefined && entry.ownsRoot) {
    Object.keys(cache)
      .filter((file) => isOwnFile(root, file))
      .forEach(forget);
  } else if (root !== undefined) {
    // Walked now, not only at import: files the plugin required later (in setup, in handlers) count too.
    (ownModuleGraph(entry, root) ?? []).forEach(forget);
    (modulesLoadedBy.get(entry.file) ?? []).forEach(forget);
  }
  forget(entry.file);
}

/** The entry's CommonJS module graph under its folder, when the entry itself is in require.cache. */
function ownModuleGraph(entry: ResolvedPluginEntry, root: string): string[] | undefined {
  const cache = requireFromHere.cache;
  if (cache[entry.file] === undefined) return undefined;
  const found = new Set<string>();
  const pending = [entry.file];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (found.has(file)) continue;
    found.add(file);
    for (const child of cache[file]?.children ?? []) if (isOwnFile(root, child.id)) pending.push(child.id);
  }
  return [...found];
}

/**
 * Import the entry afresh. ESM modules are cached by URL for the life of the
 * process, so each load gets a new query string; CommonJS modules also sit
 * in require.cache, which is cleared first (see forgetOwnCommonJs).
 */
async function importFresh(entry: ResolvedPluginEntry): Promise<Record<string, unknown>> {
  forgetOwnCommonJs(entry);
  const before = new Set(Object.keys(requireFromHere.cache));
  generation += 1;
  try {
    return (await import(`${pathToFileURL(entry.file).href}?generation=${generation}`)) as Record<
      string,
      unknown
    >;
  } finally {
    // Also after a failed import: what it loaded before failing is stale next time too.
    const root = entry.root;
    if (root !== undefined && !entry.ownsRoot) {
      modulesLoadedBy.set(
        entry.file,
        Object.keys(requireFromHere.cache).filter((file) => !before.has(file) && isOwnFile(root, file)),
      );
    }
  }
}

function isDefinition(value: unknown): value is PluginDefinition {
  return (
    typeof value === 'object' && value !== null && typeof (value as PluginDefinition).setup === 'function'
  );
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

export async function loadPluginDefinition(
  plugin: string,
  entry: ResolvedPluginEntry,
): Promise<PluginDefinition> {
  let mod: Record<string, unknown>;
  try {
    mod = await importFresh(entry);
  } catch (error) {
    throw new OneBotError(
      'PLUGIN_LOAD_FAILED',
      `plugin "${plugin}": importing "${entry.file}" failed: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
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
