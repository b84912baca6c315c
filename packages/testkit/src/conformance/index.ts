export * from './types.js';
export * from './suite.js';
export * from './ws-bot.js';
export * from './receivers.js';
export * from './event-queue.js';
