/**
 * `@onebot-gateway/core/schema`: the config and every action as JSON Schema
 * (draft-07), for editors, the dashboard and `onebot-gateway schema`. A
 * subpath of its own so a running gateway loads it only when asked.
 */
export type { JsonSchema, ConfigField } from '../config/fields.js';
export { configFieldsSchema } from '../config/fields-schema.js';
export { buildConfigSchema, type ConfigSchemaOptions } from '../config/config-schema.js';
export { buildActionSchemas, type ActionJsonSchema } from './action-json-schemas.js';
