export * from './types.js';
export { adapterKinds, adapterDefaultNames, napcatAdapterKinds, serverKinds } from './adapter-schema.js';
export { MAX_TIMER_MS } from './fields.js';
export { logLevels } from './gateway-section.js';
export { defaultRateLimitedActions } from './rate-limit-section.js';
export { type ConfigProblem, formatConfigProblem } from './problems.js';
export {
  resolveAdapterConfig,
  type AdapterFieldTables,
  type ConfigFields,
  type PartialAdapterConfig,
  type ResolveAdapterConfigOptions,
} from './resolve-entry.js';
export { parseConfig, resolveConfig, type ParseConfigOptions } from './parse-config.js';
export { loadConfigFile } from './load-config-file.js';
export { defaultConfig, defaultConfigText } from './default-config.js';
export { adapterEntries, type AdapterEntry } from './adapter-entries.js';
export {
  diffAdapterConfigs,
  type AdapterConfigDiff,
  type ChangedAdapterEntry,
} from './diff-adapter-configs.js';
