import type { Logger } from '@onebot-gateway/core';

export interface LogRecord {
  level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  msg: string;
  bindings: Record<string, unknown>;
  obj: Record<string, unknown>;
}

export interface RecordingLogger extends Logger {
  /** Every line written through this logger or its children. */
  records: LogRecord[];
  /** All records rendered as one string (for "never logs the token" assertions). */
  text(): string;
}

/** A pino-compatible logger that keeps every line in memory for assertions. */
export function createRecordingLogger(forward?: Logger): RecordingLogger {
  const records: LogRecord[] = [];
  const make = (bindings: Record<string, unknown>, target?: Logger): Logger => {
    const write =
      (level: LogRecord['level']) =>
      (objOrMsg: object | string, msg?: string): void => {
        const obj = typeof objOrMsg === 'string' ? {} : (objOrMsg as Record<string, unknown>);
        const text = typeof objOrMsg === 'string' ? objOrMsg : (msg ?? '');
        records.push({ level, msg: text, bindings, obj });
        if (target) (target[level] as (o: object, m?: string) => void)(obj, text);
      };
    return {
      trace: write('trace'),
      debug: write('debug'),
      info: write('info'),
      warn: write('warn'),
      error: write('error'),
      fatal: write('fatal'),
      child: (extra) => make({ ...bindings, ...extra }, target?.child(extra)),
    };
  };
  const root = make({}, forward) as RecordingLogger;
  root.records = records;
  root.text = () =>
    records
      .map((r) => {
        let obj: string;
        try {
          obj = JSON.stringify(r.obj, (_k, v: unknown) =>
            v instanceof Error ? { message: v.message, stack: v.stack } : v,
          );
        } catch {
          obj = '[unserialisable]';
        }
        return `${r.level} ${JSON.stringify(r.bindings)} ${r.msg} ${obj}`;
      })
      .join('\n');
  return root;
}
