/** `@onebot-gateway/backend-sandbox/schema`: the sandbox world's settings as data, without the backend. */
export { sandboxConfigFields, sandboxConfigSchema } from './config.js';
