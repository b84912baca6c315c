import { describe, milliseconds, type ConfigField } from '@onebot-gateway/core/internal';

/**
 * The keys of a `plugins` entry this package reads besides core's. The
 * gateway validates them with the rest of the file and puts them in its JSON
 * Schema; `readEntrySettings` applies them too.
 */
export const pluginConfigFields: { readonly [key: string]: ConfigField } = {
  heartInterval: describe(
    milliseconds(0),
    'Heartbeat meta events to the plugin every so many milliseconds; 0 = none (NapCat sends none).',
  ),
  setupTimeout: describe(
    milliseconds(10_000, 1),
    "Milliseconds the plugin's setup (or NapCat's plugin_init) may take; past it the start fails.",
  ),
};
