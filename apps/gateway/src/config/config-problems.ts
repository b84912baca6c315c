import { isOneBotError, type ConfigProblem } from '@onebot-gateway/core';

const LEADING_PATH = /^([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[\d+\])*): ([\s\S]*)$/;

/**
 * The `{path, message}` problems behind a config error: core's parser lists
 * them in `details.problems`; a backend validator names one key at the start
 * of its message (`gateway.backend.url: ...`), else `fallbackPath` is used.
 */
export function configProblemsOf(error: unknown, fallbackPath: string): ConfigProblem[] {
  const listed = isOneBotError(error) ? error.details?.['problems'] : undefined;
  if (Array.isArray(listed) && listed.length > 0) return listed as ConfigProblem[];
  const message = error instanceof Error ? error.message : String(error);
  const match = LEADING_PATH.exec(message);
  return match ? [{ path: match[1]!, message: match[2]! }] : [{ path: fallbackPath, message }];
}
