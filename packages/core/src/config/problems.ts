import { OneBotError } from '../errors.js';
import { redactUrl } from '../auth.js';

/** One thing wrong with a configuration: where (`network.httpServers[0].port`) and what. */
export interface ConfigProblem {
  path: string;
  message: string;
}

/** Shown in place of a file name when the text did not come from a file. */
export const INLINE_CONFIG_NAME = '<inline config>';

/** How a rejected value appears in a message: short, and never with an access token in it. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    const shown = redactUrl(value);
    return JSON.stringify(shown.length > 60 ? `${shown.slice(0, 60)}...` : shown);
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

export function formatConfigProblem(file: string | undefined, problem: ConfigProblem): string {
  const where = problem.path === '' ? '' : `${problem.path}: `;
  return `${file === undefined ? '' : `${file}: `}${where}${problem.message}`;
}

/**
 * The one error a bad configuration raises: every problem on its own line,
 * each naming the file, the entry and the key, so a user fixes all of them
 * in one go instead of one per restart.
 */
export function configInvalidError(
  file: string | undefined,
  problems: readonly ConfigProblem[],
  cause?: unknown,
): OneBotError {
  const lines = problems.map((problem) => formatConfigProblem(file, problem));
  const message =
    lines.length === 1
      ? (lines[0] ?? '')
      : [
          `${file ?? 'configuration'}: ${lines.length} problems; fix them and try again:`,
          ...lines.map((line) => `  ${line}`),
        ].join('\n');
  return new OneBotError('CONFIG_INVALID', message, {
    ...(cause === undefined ? {} : { cause }),
    details: { file: file ?? INLINE_CONFIG_NAME, problems: [...problems] },
  });
}
