import type { Logger } from '../../src/logger.js';

export interface LogRecord {
  level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  obj: Record<string, unknown>;
  msg: string;
}

/**
 * A logger that keeps every line for assertions. Core's tests cannot use the
 * test kit's (the test kit depends on core).
 */
export function createRecordingLogger(): Logger & { records: LogRecord[] } {
  const records: LogRecord[] = [];
  const write =
    (level: LogRecord['level']) =>
    (objOrMsg: object | string, msg?: string): void => {
      records.push(
        typeof objOrMsg === 'string'
          ? { level, obj: {}, msg: objOrMsg }
          : { level, obj: objOrMsg as Record<string, unknown>, msg: msg ?? '' },
      );
    };
  const logger: Logger & { records: LogRecord[] } = {
    records,
    trace: write('trace'),
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    fatal: write('fatal'),
    child: () => logger,
  };
  return logger;
}
