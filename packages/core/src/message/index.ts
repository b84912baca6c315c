export * from './escape.js';
export * from './cq-name.js';
export * from './cq-code.js';
export * from './segment-data.js';
export * from './normalize.js';
export * from './forward-node.js';
