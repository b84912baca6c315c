export { startGateway } from './gateway.js';
export type { GatewayHandle, StartGatewayOptions } from './gateway.js';
export type { AdapterReport, ApplyResult } from './adapter-supervisor.js';
export type { HealthReport } from './admin/admin-server.js';
export { adapterFactories } from './adapter-factories.js';
export type { AdapterFactory, AdapterFactoryLoader, AdapterFactoryOptions } from './adapter-factories.js';
export { backendFactories } from './backend-factories.js';
export { createGatewayLogger } from './logger.js';
