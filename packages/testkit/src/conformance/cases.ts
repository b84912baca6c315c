import { actionCases } from './cases-actions.js';
import { authCases } from './cases-auth.js';
import { eventCases } from './cases-events.js';
import { lifecycleCases } from './cases-lifecycle.js';
import type { ConformanceCase } from './case-types.js';

/**
 * Every conformance case, flat, in registration order within each group.
 * A new case is an entry here with the flags it needs; it then runs for
 * every adapter that has them.
 */
export const conformanceCases: readonly ConformanceCase[] = [
  ...actionCases,
  ...eventCases,
  ...authCases,
  ...lifecycleCases,
];
