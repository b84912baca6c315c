export { createNatsBridgeAdapter, type NatsBridgeAdapter } from './bridge-adapter.js';
export {
  createNatsBackend,
  validateNatsBackendConfig,
  type NatsBackend,
  type NatsBackendOptions,
} from './nats-backend.js';
export { actionSubject, accountEventsFilter, eventSubject, streamSubjects } from './subjects.js';
export { ACTION_QUEUE_GROUP } from './action-server.js';
