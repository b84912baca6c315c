export * from './fake-backend.js';
export * from './recording-logger.js';
