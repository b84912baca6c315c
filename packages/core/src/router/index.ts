export * from './action-router.js';
export * from './param-schema.js';
export * from './parse-request.js';
export * from './request-depth.js';
export * from './responses.js';
export * from './quick-operation.js';
export * from './action-schemas.js';
export * from './param-count.js';
