export {
  compileEventFilter,
  eventFilterOf,
  eventPassesFilter,
  passesFilterQuery,
  type EventFilter,
  type EventFilterQuery,
} from './event-filter.js';
export { InvalidFilterError, filterOperators } from './validate-query.js';
