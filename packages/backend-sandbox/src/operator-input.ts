import { OneBotError, isOneBotError } from '@onebot-gateway/core';
import { isPlainObject } from '@onebot-gateway/core/internal';

// Reading the operator's input: every problem is a BAD_REQUEST (HTTP 400) naming the field.

export function bad(message: string, cause?: unknown): OneBotError {
  return new OneBotError('BAD_REQUEST', message, cause === undefined ? {} : { cause });
}

/** World lookups fail with retcode 100 for actions; for the operator they are bad requests. */
export function asOperatorCall<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (isOneBotError(error) && error.code === 'ACTION_FAILED') throw bad(error.message, error);
    throw error;
  }
}

export function readId(name: string, value: unknown): number {
  const parsed = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof parsed === 'number' && Number.isSafeInteger(parsed) && parsed > 0) return parsed;
  throw bad(`"${name}" must be a QQ number (a positive integer), got ${JSON.stringify(value) ?? 'nothing'}`);
}

export function readOptionalId(name: string, value: unknown): number | undefined {
  return value === undefined || value === null || value === '' ? undefined : readId(name, value);
}

export function readInput(value: unknown, what: string): Record<string, unknown> {
  if (!isPlainObject(value)) throw bad(`${what} must be an object`);
  return value;
}

export function readMessageType(value: unknown): 'private' | 'group' {
  if (value === 'private' || value === 'group') return value;
  throw bad(`"message_type" must be "private" or "group", got ${JSON.stringify(value) ?? 'nothing'}`);
}
