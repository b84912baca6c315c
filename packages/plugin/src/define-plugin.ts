import type { PluginDefinition } from './types.js';

/** Identity function that gives a plugin object its types. */
export function definePlugin<Options = Record<string, unknown>>(
  definition: PluginDefinition<Options>,
): PluginDefinition<Options> {
  return definition;
}
