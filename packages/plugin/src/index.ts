export { createPluginAdapter, type PluginAdapter } from './plugin-adapter.js';
export { definePlugin } from './define-plugin.js';
export { PluginActionError } from './plugin-action-error.js';
export { eventKinds, ANY_EVENT } from './event-kinds.js';
export type {
  PluginContext,
  PluginDefinition,
  PluginEventMap,
  PluginEventKind,
  PluginEventHandler,
  PluginAdapterOptions,
  ReplyOptions,
} from './types.js';
export type { NapCatStyleContext, NapCatStyleModule } from './napcat-compat.js';
