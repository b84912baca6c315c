export * from './segments.js';
export * from './events.js';
export * from './actions.js';
export * from './guards.js';
