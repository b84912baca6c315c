export * from './socket.js';
export * from './session.js';
export * from './attach.js';
export * from './redact.js';
export * from './frame.js';
