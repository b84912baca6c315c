export * from './event-bus.js';
export * from './meta-events.js';
