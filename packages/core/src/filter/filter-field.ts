import { invalidValue, type ConfigField } from '../config/fields.js';
import { eventFilterOf } from './event-filter.js';
import { InvalidFilterError } from './validate-query.js';

/**
 * The `filter` key of an adapter entry. Validating is compiling: the compiled
 * filter is kept (keyed by the query object) for the adapter's subscription,
 * so a config load compiles each filter once. Absent or null: no filter.
 */
export function eventFilterField(): ConfigField {
  return {
    expected: 'a MongoDB-style query object',
    // Operators are checked by compiling the query (core README, "Event filters"), not by the schema.
    jsonSchema: { type: 'object' },
    coerce: (value) => {
      try {
        eventFilterOf(value);
        return value;
      } catch {
        return invalidValue;
      }
    },
    explain: (value) => {
      try {
        eventFilterOf(value);
        return undefined;
      } catch (error) {
        return error instanceof InvalidFilterError ? error.message : String(error);
      }
    },
  };
}
