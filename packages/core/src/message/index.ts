export * from './cq-code.js';
export * from './normalize.js';
