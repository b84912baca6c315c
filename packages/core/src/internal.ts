/**
 * `@onebot-gateway/core/internal`: building blocks the sibling packages of
 * this repository share (config field builders, the field resolver). Not
 * part of the semver promise: names here may change in any release. Users
 * need only `@onebot-gateway/core` and `@onebot-gateway/core/schema`.
 */
export {
  bytes,
  count,
  describe,
  flag,
  integer,
  isPlainObject,
  list,
  milliseconds,
  nonEmptyText,
  oneOf,
  port,
  qqNumber,
  record,
  text,
  textList,
  url,
  type ConfigField,
  type IntegerRange,
  type JsonSchema,
} from './config/fields.js';
export { secret } from './config/secret-field.js';
export { upstreamFields } from './config/gateway-section.js';
export { resolveFields } from './config/resolve-fields.js';
export { configFieldsSchema } from './config/fields-schema.js';
export { configInvalidError, describeValue } from './config/problems.js';
