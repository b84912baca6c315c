export * from './types.js';
export * from './suite.js';
export * from './ws-bot.js';
export * from './receivers.js';
export * from './event-queue.js';
export * from './case-types.js';
export * from './cases.js';
export {
  conformanceDrivers,
  conformanceFlags,
  type BotSide,
  type ConformanceDriver,
  type ConformanceFlag,
} from './drivers.js';
export type { Harness } from './harness.js';
